"""`rights wizard`: an interview about one order that ends in a saved, validated case file.

Kept apart so that nothing here (nor its prompt library) is imported by the other commands:

* :mod:`rightscli.wizard.questions` — the questions file (``policies/questions.yaml``), read strictly;
* :mod:`rightscli.typed_in` — typed-in text (昨天, 11-15, ¥299) to canonical text (batch CSV cells use it too);
* :mod:`rightscli.wizard.answers` — the answers so far, merged by precedence, checked by the case model;
* :mod:`rightscli.wizard.flow` — which question comes next (required facts first, then what the engine misses);
* :mod:`rightscli.wizard.prompts` — the three ways of asking: a terminal (arrow-key menus), piped lines, none;
* :mod:`rightscli.wizard.files` — case files in the model's field order (written by :mod:`rightscli.output`, mode 0600);
* :mod:`rightscli.wizard.session` — the interview itself, the review screen, saving and what follows.
"""

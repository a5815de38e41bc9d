"""Letters and checklists: case + assessment → plain data → Jinja2 (sandboxed) → restricted Markdown → md/txt/html/docx.

Modules are small and import their heavy libraries lazily:

* :mod:`rightscli.letters.rmb` — amounts in figures and in capitals (人民币大写);
* :mod:`rightscli.letters.data` — the bundled letter data (recipients.yaml: the recipients, titles, fixed citations,
  which findings each letter argues, phrases);
* :mod:`rightscli.letters.wording` — dates, citations, the buyer's voice and placeholders as letters write them;
* :mod:`rightscli.letters.context` — a letter's context, built from the Case and the Assessment: one builder for
  what every letter has, then each recipient's own part (regulator, platform, court, the public complaint);
* :mod:`rightscli.letters.checklist` — the evidence checklist's context;
* :mod:`rightscli.letters.compiled` — the bundled templates rendered from their compiled program, without Jinja;
  :mod:`rightscli.letters.template_ir` compiles them, :mod:`rightscli.letters.program` is what both share;
  :mod:`rightscli.letters.closures` and :mod:`rightscli.letters.expressions` run the program as Python closures;
* :mod:`rightscli.letters.render` — the Jinja2 sandbox (imports jinja2), for --template-dir and as the fallback;
* :mod:`rightscli.letters.convert` — the one Markdown parser (markdown-it-py) and the txt/html writers;
* :mod:`rightscli.letters.docx_writer` (DOCX without python-docx), :mod:`rightscli.letters.pydocx_writer` (with it),
  :mod:`rightscli.letters.pdf` (reportlab);
* :mod:`rightscli.letters.letter` — one call that renders a letter or checklist in a format, with its warnings.
"""

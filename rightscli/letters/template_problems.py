"""What Jinja says of a template it cannot read or run, in the interface's language.

A legal expert who edits a letter template (``--template-dir``) meets Jinja's own messages, which are English:
"Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. …". The messages
Jinja gives most often are put in the catalogue's words here (``template.jinja.*``), with what they name (the tag, the
block, the variable) kept; any other is shown as Jinja says it.
"""

from __future__ import annotations

import re

from rightscli.i18n import tr

# (pattern, catalogue key): the first that matches the whole message wins.
_PROBLEMS = [
    (
        r"Unexpected end of template\. Jinja was looking for the following tags: (?P<tags>.+)\. "
        r"The innermost block that needs to be closed is '(?P<block>[^']+)'\.",
        "template.jinja.unclosed_block",
    ),
    (
        r"Encountered unknown tag '(?P<tag>[^']+)'\. Jinja was looking for the following tags: (?P<tags>.+)\. "
        r"The innermost block that needs to be closed is '(?P<block>[^']+)'\.",
        "template.jinja.tag_in_open_block",
    ),
    (r"Encountered unknown tag '(?P<tag>[^']+)'\..*", "template.jinja.unknown_tag"),
    (r"unexpected end of template, expected '(?P<expected>[^']+)'\.", "template.jinja.ends_early"),
    (r"Unexpected end of template\..*", "template.jinja.ends"),
    (r"expected token '(?P<expected>[^']+)', got '(?P<got>[^']*)'", "template.jinja.expected_token"),
    (r"Expected an expression, got '(?P<got>[^']*)'", "template.jinja.expected_expression"),
    (r"unexpected char (?P<char>'.'|\".\") at \d+", "template.jinja.unexpected_char"),
    (r"unexpected '(?P<got>[^']*)'", "template.jinja.unexpected"),
    (r"Missing end of comment tag", "template.jinja.open_comment"),
    (r"expected name or number", "template.jinja.expected_name"),
    (r"'(?P<name>[^']+)' is undefined", "template.jinja.undefined"),
    (r"'(?P<obj>[^']+)' has no attribute '(?P<attr>[^']+)'", "template.jinja.no_attribute"),
    (r"(?P<obj>.+) has no element (?P<index>.+)", "template.jinja.no_element"),
]

# Jinja names the delimiters in words ('end of print statement'): shown as the characters the author types.
_TOKENS = {
    "end of print statement": "}}",
    "begin of print statement": "{{",
    "end of statement block": "%}",
    "begin of statement block": "{%",
}


def jinja_problem(message: str) -> str:
    """Jinja's ``message`` in the interface's language (as Jinja says it when it is not one of the known ones)."""
    for pattern, key in _PROBLEMS:  # compiled only when a template fails (re caches them), not at every letter
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found is not None:
            return tr(key, **{name: _shown(name, value) for name, value in found.groupdict().items()})
    return message


def _shown(name: str, value: str) -> str:
    if name == "tags":  # 'elif' or 'else' or 'endif'
        return tr("template.jinja.or").join(part.strip() for part in value.split(" or "))
    if name in ("expected", "got"):
        return _TOKENS.get(value, value)
    return value

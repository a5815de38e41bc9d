"""The numbers of the template limits (see :mod:`rightscli.letters.limits` for what each bounds), without Jinja: the
compiled bundled templates (:mod:`rightscli.letters.compiled`) keep within them too."""

MAX_VALUE = 100_000
MAX_INT_BITS = 3_400
MAX_BUILT = 20_000_000
MAX_OUTPUT = 1_000_000
MAX_LOOP = 100_000
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_NESTING = 30
MAX_BLOCKS = 20
MAX_TAG_TOKENS = 250

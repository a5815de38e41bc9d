"""rightscli: a consumer-rights helper for online buyers in mainland China."""

__version__ = "0.1.0"

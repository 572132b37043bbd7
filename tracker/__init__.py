"""capa-tracker: post-mortem corrective and preventive actions, tracked until they are done."""

__version__ = "0.1.0"

"""ExecSponsor: a self-hosted system for running an Executive Sponsor Program."""

__version__ = "0.1.0"

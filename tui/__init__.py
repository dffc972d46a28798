"""Every terminal interface of cbrn-ttx: the `ttx` command and the Textual facilitator console."""

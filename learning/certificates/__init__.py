"""Certificates: issued on completion, printable, publicly verifiable, signed as Open Badges."""

"""Discussions under lessons: threads and replies, moderation, and the digest of replies."""

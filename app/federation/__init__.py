"""Federation: Flasky speaks ActivityPub (docs/federation.md).

keys.py and signatures.py sign and verify requests; discovery and actor
documents, the inbox and the deliveries build on them.
"""

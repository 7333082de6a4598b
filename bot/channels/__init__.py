"""Channel adapters: each turns a platform's messages into ``Inbound`` and renders ``Outbound``."""

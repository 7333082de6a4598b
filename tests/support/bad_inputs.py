"""Messages nobody should send, which the bot must answer politely on every channel."""

BAD_INPUTS = {
    "huge": "a" * 50_000,
    "emoji_only": "😂🔥🇦🇱🙏",
    "zero_width": "\u200b\u200c\u200d\ufeff",
    "nul_bytes": "\x00xyz\x00\x00qwe",
    "sql": "'; DROP TABLE users;--",
    "html": "<b>hi</b><script>alert(1)</script>",
    "unknown_command": "/foobar",
    "out_of_range": "4711",
    "digits_only": "12345678901234567890",
    "whitespace": "   \t  ",
    "rtl_and_cjk": "مرحبا 你好",
}

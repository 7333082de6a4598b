"""Reading a posted form that carries no file: read whole, then closed (a file in it is a 400,
never a temporary file left open)."""

from starlette.datastructures import FormData
from starlette.requests import Request


async def plain_form(request: Request) -> FormData:
    async with request.form(max_files=0) as form:
        return form

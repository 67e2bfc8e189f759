"""One error base for every business error, with its HTTP status and a Chinese message.

`MarketError(code, message, status)`; subclasses fix the status (and a default code):
NotFound 404, Forbidden 403, Conflict 409, InvalidTransition 409, ValidationFailed 422,
ImportRejected 422 (carrying every row error of a rejected import).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    """One bad cell (or sheet, or file) of an import, told in Chinese."""

    file: str
    sheet: str
    row: int | None  # 1-based spreadsheet row, or JSON index + 1; None for the whole sheet/file
    column: str  # the Chinese column title ("" when the error is not about one column)
    value: Any
    message: str  # what is wrong and what was expected

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["value"] is not None and not isinstance(data["value"], int | float | str | bool):
            data["value"] = str(data["value"])
        return data

    def describe(self) -> str:
        """One line: 文件 › 工作表 第 N 行 › 列: 信息."""
        where = " › ".join(part for part in (self.file, self.sheet) if part)
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.column:
            where += f" › {self.column}"
        return f"{where}：{self.message}"


class MarketError(Exception):
    """A business error: a code for programs, a Chinese message for people, an HTTP status."""

    status: int = 400
    default_code: str = "error"

    def __init__(
        self,
        *args: Any,
        code: str | None = None,
        message: str | None = None,
        status: int | None = None,
        details: list[Any] | dict[str, Any] | None = None,
    ) -> None:
        # Accepted forms: MarketError(code, message[, status]) and Subclass(message).
        positional = list(args)
        if len(positional) >= 2:
            code = code or positional.pop(0)
        if positional:
            message = message or positional.pop(0)
        if positional:
            status = int(positional.pop(0))
        self.code = code or self.default_code
        self.message = message or "操作失败"
        if status is not None:
            self.status = status
        self.details = details
        super().__init__(self.message)

    @property
    def message_zh(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        """The JSON body an API returns for this error."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(MarketError):
    status = 404
    default_code = "not_found"


class Forbidden(MarketError):
    status = 403
    default_code = "forbidden"


class Conflict(MarketError):
    status = 409
    default_code = "conflict"


class InvalidTransition(MarketError):
    status = 409
    default_code = "invalid_transition"


class ValidationFailed(MarketError):
    status = 422
    default_code = "validation_failed"


class ImportRejected(MarketError):
    """An import with bad rows: nothing was stored; `errors` lists every bad row."""

    status = 422
    default_code = "import_rejected"

    def __init__(self, errors: list[RowError], message: str | None = None) -> None:
        self.errors = list(errors)
        text = message or f"导入被拒绝：发现 {len(self.errors)} 处错误，未保存任何数据"
        super().__init__(message=text, details=[e.as_dict() for e in self.errors])

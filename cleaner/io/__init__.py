"""Reading inputs into documents and writing a run's outputs."""

from .decode import decode_bytes
from .readers import InputFile, Quarantined, expand_inputs, read_documents, safe_id
from .writers import OutputWriter

__all__ = [
    "decode_bytes",
    "InputFile",
    "Quarantined",
    "expand_inputs",
    "read_documents",
    "safe_id",
    "OutputWriter",
]

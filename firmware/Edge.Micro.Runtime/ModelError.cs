namespace Edge.Micro.Runtime
{
    /// <summary>
    /// Every reason a model can be refused, each with its message declared once (here), so the CLI, the
    /// serial console and the native runner (interop/runner, same numbers) say the same words.
    /// </summary>
    public static class ModelError
    {
        public const int None = 0;
        public const int TooSmall = 1;
        public const int BadMagic = 2;
        public const int UnsupportedVersion = 3;
        public const int BadHeader = 4;
        public const int LengthMismatch = 5;
        public const int CrcMismatch = 6;
        public const int TableOutOfRange = 7;
        public const int BadTensor = 8;
        public const int TensorOutOfRange = 9;
        public const int BadOpRecord = 10;
        public const int UnknownOp = 11;
        public const int BadOpTensors = 12;
        public const int BadOpParams = 13;
        public const int ArrayOutOfRange = 14;
        public const int BadIoTable = 15;
        public const int ArenaTooSmall = 16;
        public const int BadString = 17;

        /// <summary>The message of an error code.</summary>
        public static string Message(int code)
        {
            switch (code)
            {
                case None: return "ok";
                case TooSmall: return "file is shorter than the 64-byte .emm header";
                case BadMagic: return "not an .emm model (bad magic); convert the .tflite with 'edge-micro convert'";
                case UnsupportedVersion: return "unsupported .emm format version; re-convert the model with this version of edge-micro";
                case BadHeader: return "corrupt header (bad header size, counts or flags)";
                case LengthMismatch: return "file length does not match the header (truncated or padded file)";
                case CrcMismatch: return "CRC-32 mismatch: the file is corrupt";
                case TableOutOfRange: return "a table lies outside the file";
                case BadTensor: return "corrupt tensor record (type, rank, shape or byte size)";
                case TensorOutOfRange: return "tensor data lies outside the arena or the constant data";
                case BadOpRecord: return "corrupt op record (size or tensor count)";
                case UnknownOp: return "unknown op code";
                case BadOpTensors: return "op tensors do not match the kernel's contract (index, type or shape)";
                case BadOpParams: return "op parameters out of range";
                case ArrayOutOfRange: return "op parameter array lies outside the constant data";
                case BadIoTable: return "corrupt input/output table";
                case ArenaTooSmall: return "arena is smaller than the model needs";
                case BadString: return "corrupt string table";
                default: return "unknown error";
            }
        }
    }
}

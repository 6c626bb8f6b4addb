namespace Edge.Micro.Runtime.Format
{
    /// <summary>Element types of tensors in an .emm file (docs/format.md, "Element types").</summary>
    public static class ElementType
    {
        public const int Int8 = 1;
        public const int Int16 = 2;
        public const int Int32 = 3;
        public const int Float32 = 4;
        public const int UInt8 = 5;

        /// <summary>Bytes per element, or 0 for an unknown type.</summary>
        public static int SizeOf(int type)
        {
            switch (type)
            {
                case Int8:
                case UInt8:
                    return 1;
                case Int16:
                    return 2;
                case Int32:
                case Float32:
                    return 4;
                default:
                    return 0;
            }
        }

        /// <summary>Lower-case name used in tables and error messages.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case Int8: return "int8";
                case Int16: return "int16";
                case Int32: return "int32";
                case Float32: return "float32";
                case UInt8: return "uint8";
                default: return "unknown";
            }
        }
    }
}

using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Lowering;

/// <summary>The checks every op's lowering makes, and the two kinds of error it raises (unsupported, invalid).</summary>
internal static class LoweringChecks
{
    internal static ConverterException Unsupported(TfOperator op, string what) =>
        new($"op {op.Index} ({op.Name}): {what} is not supported. Supported ops: {Lowerer.SupportedOps}");

    internal static ConverterException Invalid(TfOperator op, string what) =>
        new($"op {op.Index} ({op.Name}): {what}");

    internal static void RequireType(TfOperator op, TfTensor t, string role, params TfLiteType[] types)
    {
        if (!types.Contains(t.Type))
        {
            throw Unsupported(op, $"{role} tensor '{t.Name}' of type {t.Type} (supported: {string.Join(", ", types)})");
        }
    }

    internal static void RequireRank(TfOperator op, TfTensor t, string role, int rank)
    {
        if (t.Shape.Length != rank)
        {
            throw Invalid(op, $"{role} tensor '{t.Name}' has rank {t.Shape.Length}, expected {rank}");
        }
    }

    internal static void RequireQuantized(TfOperator op, TfTensor t, string role)
    {
        if (t.Scales.Length == 0 || !(t.Scale > 0) || float.IsInfinity(t.Scale))
        {
            throw Invalid(op, $"{role} tensor '{t.Name}' has no valid quantization scale");
        }
    }
}

using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers RESHAPE and SQUEEZE: an alias of the input, nothing runs.</summary>
internal static class ReshapeLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), output = context.Out(op);
        if (input.Type != output.Type || input.ElementCount != output.ElementCount)
        {
            throw Invalid(op, "input and output differ in type or element count");
        }

        int source = context.MapArena(op, input, "input");
        int target = context.Map(output.Index);
        context.Graph.Tensors[target].AliasOf = source;
        context.Add(new EmmOp { Code = OpCode.Reshape, Inputs = [source], Outputs = [target], Params = [], SourceIndex = op.Index });
    }
}

using Edge.Micro.Converter.Emit;
using Edge.Micro.Converter.Lowering;
using Edge.Micro.Converter.Planning;
using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter;

/// <summary>The result of converting one model: the lowered, planned graph and the .emm bytes.</summary>
public sealed record ConversionResult(EmmGraph Graph, IReadOnlyList<ArenaPlanner.Buffer> Plan, byte[] Emm);

/// <summary>.tflite bytes to .emm bytes: parse, lower, plan, write.</summary>
public static class ModelConverter
{
    /// <summary>Converts a .tflite model; throws <see cref="ConverterException"/> with a message a user can act on.</summary>
    public static ConversionResult Convert(byte[] tflite, string name, int frontEnd = Edge.Micro.Runtime.Format.EmmFormat.FrontEndNone, bool selfTest = true)
    {
        TfLiteModel model = TfLiteModel.Parse(tflite);
        EmmGraph graph = Lowerer.Lower(model, name);
        graph.FrontEnd = frontEnd;
        IReadOnlyList<ArenaPlanner.Buffer> plan = ArenaPlanner.Plan(graph);
        byte[] emm = EmmWriter.Write(graph);
        if (selfTest)
        {
            SelfTestCase.Add(graph, emm);
            emm = EmmWriter.Write(graph);
        }

        return new ConversionResult(graph, plan, emm);
    }
}

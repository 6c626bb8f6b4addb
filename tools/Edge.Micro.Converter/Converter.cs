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
    /// <summary>
    /// Converts a .tflite model, storing the detection <paramref name="thresholds"/> it was tuned with (one per
    /// output) when given; throws <see cref="ConverterException"/> with a message a user can act on.
    /// </summary>
    public static ConversionResult Convert(byte[] tflite, string name, int frontEnd = Edge.Micro.Runtime.Format.EmmFormat.FrontEndNone, bool selfTest = true,
        byte[]? thresholds = null)
    {
        TfLiteModel model = TfLiteModel.Parse(tflite);
        EmmGraph graph = Lowerer.Lower(model, name);
        graph.FrontEnd = frontEnd;
        if (thresholds != null)
        {
            RecognizerThresholds.Add(graph, thresholds);
        }

        IReadOnlyList<ArenaPlanner.Buffer> plan = ArenaPlanner.Plan(graph);
        byte[] emm = EmmWriter.Write(graph);
        CheckLoads(emm);
        if (selfTest)
        {
            SelfTestCase.Add(graph, emm);
            emm = EmmWriter.Write(graph);
        }

        return new ConversionResult(graph, plan, emm);
    }

    // The device's loader is the last word on what is valid: a model it would refuse is a conversion error,
    // reported here on the desktop rather than at start-up on a board.
    private static void CheckLoads(byte[] emm)
    {
        try
        {
            _ = new Edge.Micro.Runtime.Model(emm);
        }
        catch (Edge.Micro.Runtime.ModelException e)
        {
            throw new ConverterException($"the converted model would not load on the device: {e.Message}");
        }
    }
}

using Edge.Micro.Converter.Lowering;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter;

/// <summary>
/// The detection thresholds a model was tuned with, stored in the .emm as a constant uint8 tensor named
/// recognizer.thresholds that no op uses, one 0..255 score per element of the first output (docs/format.md):
/// the recognizer on the desktop and on the device starts from them. Costs one byte per label of flash.
/// </summary>
public static class RecognizerThresholds
{
    /// <summary>Adds the thresholds to the graph; throws <see cref="ConverterException"/> when there is not one per output.</summary>
    public static void Add(EmmGraph graph, byte[] thresholds)
    {
        EmmTensor output = graph.Tensors[graph.Outputs[0]];
        int outputs = output.Shape.Aggregate(1, (a, b) => a * b);
        if (thresholds.Length != outputs)
        {
            throw new ConverterException($"{thresholds.Length} detection thresholds given for a model with {outputs} outputs: give one per label");
        }

        graph.Tensors.Add(new EmmTensor { Name = EmmFormat.ThresholdsTensorName, Type = ElementType.UInt8, Shape = [outputs], ConstantData = (byte[])thresholds.Clone() });
    }
}

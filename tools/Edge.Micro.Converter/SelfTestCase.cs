using Edge.Micro.Converter.Lowering;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter;

/// <summary>
/// The golden case a device's `selftest` runs: a deterministic input and the output the managed kernels
/// (bit-exact with TFLM) give for it, stored as two constant tensors named selftest.input and
/// selftest.output that no op uses (docs/format.md). Costs the input and output bytes of flash.
/// </summary>
public static class SelfTestCase
{
    /// <summary>Name of the stored input tensor.</summary>
    public const string InputName = Edge.Micro.Runtime.SelfTest.InputTensorName;

    /// <summary>Name of the stored output tensor.</summary>
    public const string OutputName = Edge.Micro.Runtime.SelfTest.OutputTensorName;

    /// <summary>Runs the converted model on the case's input and adds both tensors to the graph.</summary>
    public static void Add(EmmGraph graph, byte[] emm)
    {
        var model = new Model(emm);
        int inputTensor = model.InputTensor(0);
        int outputTensor = model.OutputTensor(0);
        byte[] input = Input(model.TensorType(inputTensor), model.ByteSize(inputTensor));
        var interpreter = new Interpreter(model);
        interpreter.SetInput(0, input, 0);
        interpreter.Invoke();
        var output = new byte[model.ByteSize(outputTensor)];
        interpreter.GetOutput(0, output, 0);

        EmmTensor source = graph.Tensors[graph.Inputs[0]];
        EmmTensor result = graph.Tensors[graph.Outputs[0]];
        graph.Tensors.Add(new EmmTensor { Name = InputName, Type = source.Type, Shape = source.Shape, ConstantData = input, ZeroPoint = source.ZeroPoint, Scale = source.Scale });
        graph.Tensors.Add(new EmmTensor { Name = OutputName, Type = result.Type, Shape = result.Shape, ConstantData = output, ZeroPoint = result.ZeroPoint, Scale = result.Scale });
    }

    // The corpus's xorshift32 stream (seed 1): int8 codes, or small floats for float inputs.
    private static byte[] Input(int type, int bytes)
    {
        var data = new byte[bytes];
        uint s = 1;
        uint Next()
        {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            return s;
        }

        if (type == ElementType.Float32)
        {
            for (int i = 0; i < bytes; i += 4)
            {
                BitConverter.TryWriteBytes(data.AsSpan(i), ((sbyte)(Next() & 0xFF)) * 0.25f);
            }
        }
        else
        {
            for (int i = 0; i < bytes; i++)
            {
                data[i] = (byte)(Next() & 0xFF);
            }
        }

        return data;
    }
}

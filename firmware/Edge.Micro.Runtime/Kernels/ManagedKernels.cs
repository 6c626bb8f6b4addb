using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>The managed int8 kernels: a switch over op codes, each case one kernel class.</summary>
    public sealed class ManagedKernels : IKernelSet
    {
        /// <summary>The shared instance (the kernels hold no state).</summary>
        public static readonly ManagedKernels Instance = new ManagedKernels();

        /// <inheritdoc />
        public string Name { get { return "managed"; } }

        /// <inheritdoc />
        public void Prepare(Model model)
        {
            model.ReserveConstantWindow();
        }

        /// <inheritdoc />
        public int Run(Model model, int op, byte[] arena)
        {
            model.PageIn(op);
            switch (model.Op(op))
            {
                case OpCode.Conv2D: ConvS8.Eval(model, op, arena); break;
                case OpCode.DepthwiseConv2D: DepthwiseConvS8.Eval(model, op, arena); break;
                case OpCode.FullyConnected: FullyConnectedS8.Eval(model, op, arena); break;
                case OpCode.AveragePool2D: PoolingS8.Eval(model, op, arena, true); break;
                case OpCode.MaxPool2D: PoolingS8.Eval(model, op, arena, false); break;
                case OpCode.Reshape: break;
                case OpCode.Softmax: SoftmaxS8.Eval(model, op, arena); break;
                case OpCode.Add: AddS8.Eval(model, op, arena); break;
                case OpCode.Mean: MeanS8.Eval(model, op, arena); break;
                case OpCode.Logistic: ActivationS8.Eval(model, op, arena, true); break;
                case OpCode.Tanh: ActivationS8.Eval(model, op, arena, false); break;
                case OpCode.Quantize: QuantizeKernels.EvalQuantize(model, op, arena); break;
                case OpCode.Dequantize: QuantizeKernels.EvalDequantize(model, op, arena); break;
                case OpCode.Svdf: SvdfS8.Eval(model, op, arena); break;
                case OpCode.Conv2DS16: ConvS16.Eval(model, op, arena, false); break;
                case OpCode.DepthwiseConv2DS16: ConvS16.Eval(model, op, arena, true); break;
                case OpCode.FullyConnectedS16: FullyConnectedS16.Eval(model, op, arena); break;
                case OpCode.SoftmaxS16: SoftmaxS16.Eval(model, op, arena); break;
                case OpCode.LogisticS16: ActivationS16.Eval(model, op, arena, true); break;
                case OpCode.TanhS16: ActivationS16.Eval(model, op, arena, false); break;
                case OpCode.UnidirectionalSequenceLstm: LstmS8.Eval(model, op, arena); break;
            }

            return 0;
        }
    }
}

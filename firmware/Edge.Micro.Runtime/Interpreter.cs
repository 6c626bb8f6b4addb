using System;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Runtime
{
    /// <summary>
    /// Runs a <see cref="Model"/>: one arena allocated at construction, then <see cref="Invoke"/> walks the
    /// op records and calls the managed kernels. Invoke allocates nothing.
    /// </summary>
    public sealed class Interpreter
    {
        private readonly Model _model;
        private readonly byte[] _arena;

        /// <summary>Creates an interpreter with its own arena of <see cref="Model.ArenaBytes"/> bytes.</summary>
        public Interpreter(Model model)
        {
            if (model == null)
            {
                throw new ArgumentNullException("model");
            }

            _model = model;
            _arena = new byte[model.ArenaBytes];
        }

        /// <summary>The model being run.</summary>
        public Model Model { get { return _model; } }

        /// <summary>The arena: inputs are written to and outputs read from it at their tensors' offsets.</summary>
        public byte[] Arena { get { return _arena; } }

        /// <summary>Optional per-op timing hook; null (the default) costs nothing.</summary>
        public IOpProfiler Profiler { get; set; }

        /// <summary>Copies raw input bytes (the tensor's element type, little-endian) into input <paramref name="index"/>.</summary>
        public void SetInput(int index, byte[] data, int offset)
        {
            int t = _model.InputTensor(index);
            Array.Copy(data, offset, _arena, _model.DataOffset(t), _model.ByteSize(t));
        }

        /// <summary>Copies output <paramref name="index"/>'s raw bytes into <paramref name="destination"/>.</summary>
        public void GetOutput(int index, byte[] destination, int offset)
        {
            int t = _model.OutputTensor(index);
            Array.Copy(_arena, _model.DataOffset(t), destination, offset, _model.ByteSize(t));
        }

        /// <summary>Runs every op once.</summary>
        public void Invoke()
        {
            int count = _model.OpCount;
            for (int op = 0; op < count; op++)
            {
                InvokeOp(op);
            }
        }

        /// <summary>Runs ops [0, lastOp], for inspecting intermediate tensors.</summary>
        public void InvokeUpTo(int lastOp)
        {
            for (int op = 0; op <= lastOp && op < _model.OpCount; op++)
            {
                InvokeOp(op);
            }
        }

        private void InvokeOp(int op)
        {
            IOpProfiler profiler = Profiler;
            long start = profiler == null ? 0 : DateTime.UtcNow.Ticks;
            int code = _model.Op(op);
            switch (code)
            {
                case OpCode.Conv2D: ConvS8.Eval(_model, op, _arena); break;
                case OpCode.DepthwiseConv2D: DepthwiseConvS8.Eval(_model, op, _arena); break;
                case OpCode.FullyConnected: FullyConnectedS8.Eval(_model, op, _arena); break;
                case OpCode.AveragePool2D: PoolingS8.Eval(_model, op, _arena, true); break;
                case OpCode.MaxPool2D: PoolingS8.Eval(_model, op, _arena, false); break;
                case OpCode.Reshape: break;
                case OpCode.Softmax: SoftmaxS8.Eval(_model, op, _arena); break;
                case OpCode.Add: AddS8.Eval(_model, op, _arena); break;
                case OpCode.Mean: MeanS8.Eval(_model, op, _arena); break;
                case OpCode.Logistic: ActivationS8.Eval(_model, op, _arena, true); break;
                case OpCode.Tanh: ActivationS8.Eval(_model, op, _arena, false); break;
                case OpCode.Quantize: QuantizeKernels.EvalQuantize(_model, op, _arena); break;
                case OpCode.Dequantize: QuantizeKernels.EvalDequantize(_model, op, _arena); break;
            }

            if (profiler != null)
            {
                profiler.OpFinished(op, code, DateTime.UtcNow.Ticks - start);
            }
        }
    }
}

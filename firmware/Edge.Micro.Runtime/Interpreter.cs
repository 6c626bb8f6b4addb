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
        private readonly IKernelSet _kernels;

        /// <summary>Creates an interpreter with the managed kernels and its own arena of <see cref="Model.ArenaBytes"/> bytes.</summary>
        public Interpreter(Model model)
            : this(model, ManagedKernels.Instance)
        {
        }

        /// <summary>Creates an interpreter that runs <paramref name="kernels"/> on its own arena.</summary>
        public Interpreter(Model model, IKernelSet kernels)
        {
            if (model == null)
            {
                throw new ArgumentNullException("model");
            }

            if (kernels == null)
            {
                throw new ArgumentNullException("kernels");
            }

            _model = model;
            _kernels = kernels;
            kernels.Prepare(model);
            _arena = new byte[model.ArenaBytes];
            ResetState();
        }

        /// <summary>The kernels in use ("managed" or "native").</summary>
        public IKernelSet Kernels { get { return _kernels; } }

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

        /// <summary>
        /// Sets every state tensor (SVDF's activation state) to its initial value: the zero point for int8,
        /// 0 otherwise, as TFLM's ResetVariableTensors. Called by the constructor; call it between
        /// independent streams. Allocates nothing.
        /// </summary>
        public void ResetState()
        {
            int count = _model.TensorCount;
            for (int t = 0; t < count; t++)
            {
                if (_model.IsState(t))
                {
                    byte fill = _model.TensorType(t) == ElementType.Int8 ? (byte)_model.ZeroPoint(t) : (byte)0;
                    int start = _model.DataOffset(t);
                    int end = start + _model.ByteSize(t);
                    for (int i = start; i < end; i++)
                    {
                        _arena[i] = fill;
                    }
                }
            }
        }

        /// <summary>Runs every op once. Throws <see cref="InvalidOperationException"/> if a kernel reports a failure (a bug: the model was validated).</summary>
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
            int status = _kernels.Run(_model, op, _arena);
            if (status != 0)
            {
                throw new InvalidOperationException("kernel status " + status + " in op " + op);
            }

            if (profiler != null)
            {
                profiler.OpFinished(op, code, DateTime.UtcNow.Ticks - start);
            }
        }
    }
}

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// RESHAPE is free: the converter gives the output the input's arena offset (an alias), so there is
    /// nothing to run. The contract only checks that the alias is real.
    /// </summary>
    public static class ReshapeKernel
    {
        /// <summary>Checks the op; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != 0)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            if (m.IsConstant(input) || m.TensorType(input) != m.TensorType(output) || m.ByteSize(input) != m.ByteSize(output)
                || m.DataOffset(input) != m.DataOffset(output))
            {
                return ModelError.BadOpTensors;
            }

            return ModelError.None;
        }
    }
}

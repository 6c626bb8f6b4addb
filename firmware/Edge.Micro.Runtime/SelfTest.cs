using System;

namespace Edge.Micro.Runtime
{
    /// <summary>
    /// Runs the golden case the converter stored in the model (constant tensors selftest.input and
    /// selftest.output, used by no op): reset state, input in, invoke, compare the output byte for byte.
    /// </summary>
    public static class SelfTest
    {
        /// <summary>Name of the stored input tensor.</summary>
        public const string InputTensorName = "selftest.input";

        /// <summary>Name of the stored output tensor.</summary>
        public const string OutputTensorName = "selftest.output";

        /// <summary>Result codes of <see cref="Run"/>.</summary>
        public const int Passed = 0;
        public const int NoCase = 1;
        public const int Failed = 2;

        /// <summary>Runs the case on <paramref name="interpreter"/>; returns Passed, NoCase or Failed (the first differing byte in <paramref name="firstDifference"/>).</summary>
        public static int Run(Interpreter interpreter, out int firstDifference)
        {
            firstDifference = -1;
            Model m = interpreter.Model;
            int input = -1, output = -1;
            for (int t = 0; t < m.TensorCount; t++)
            {
                if (!m.IsConstant(t))
                {
                    continue;
                }

                string name = m.TensorName(t);
                if (name == InputTensorName)
                {
                    input = t;
                }
                else if (name == OutputTensorName)
                {
                    output = t;
                }
            }

            int modelInput = m.InputTensor(0), modelOutput = m.OutputTensor(0);
            if (input < 0 || output < 0 || m.ByteSize(input) != m.ByteSize(modelInput) || m.ByteSize(output) != m.ByteSize(modelOutput))
            {
                return NoCase;
            }

            // The case was recorded from freshly reset state (SVDF); the stream's state is reset again afterwards.
            interpreter.ResetState();
            byte[] arena = interpreter.Arena;
            m.CopyConstant(input, arena, m.DataOffset(modelInput));
            interpreter.Invoke();
            interpreter.ResetState();
            int actual = m.DataOffset(modelOutput);
            byte[] expected = new byte[m.ByteSize(output)];
            m.CopyConstant(output, expected, 0);
            for (int i = 0; i < expected.Length; i++)
            {
                if (arena[actual + i] != expected[i])
                {
                    firstDifference = i;
                    return Failed;
                }
            }

            return Passed;
        }
    }
}

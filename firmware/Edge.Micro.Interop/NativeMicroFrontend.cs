using System;
using System.Runtime.CompilerServices;
using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Interop
{
    /// <summary>
    /// The native micro front end (interop/frontend, with its tables in flash) on a custom nanoFramework image:
    /// one native call per 30 ms frame. Deployed only with that image, like <see cref="NativeKernels"/>.
    /// </summary>
    public sealed class NativeMicroFrontend : IFeatureExtractor
    {
        private const int ChannelCount = 40;
        private const int WindowSamples = 480;
        private readonly uint[] _noise = new uint[ChannelCount];

        /// <inheritdoc />
        public string Name { get { return "native"; } }

        /// <inheritdoc />
        public int FrameSamples { get { return WindowSamples; } }

        /// <inheritdoc />
        public int FrameBytes { get { return ChannelCount; } }

        /// <inheritdoc />
        public void Reset()
        {
            for (int i = 0; i < _noise.Length; i++)
            {
                _noise[i] = 0;
            }
        }

        /// <inheritdoc />
        public void Extract(short[] samples, int offset, byte[] output, int outputOffset)
        {
            if (offset < 0 || offset + WindowSamples > samples.Length || outputOffset < 0 || outputOffset + ChannelCount > output.Length)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            int status = Process(samples, offset, _noise, output, outputOffset);
            if (status != 0)
            {
                throw new InvalidOperationException("native front end status " + status);
            }
        }

        // interop/nanoframework/Edge_Micro_Interop_Edge_Micro_Interop_NativeMicroFrontend.cpp -> em_micro_frontend_process().
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int Process(short[] samples, int offset, uint[] noise, byte[] features, int featureOffset);
    }
}

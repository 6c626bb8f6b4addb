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
        public int Channels { get { return ChannelCount; } }

        /// <inheritdoc />
        public void Reset()
        {
            for (int i = 0; i < _noise.Length; i++)
            {
                _noise[i] = 0;
            }
        }

        /// <inheritdoc />
        public void ProcessFrame(short[] samples, int offset, sbyte[] features, int featureOffset)
        {
            if (offset < 0 || offset + WindowSamples > samples.Length || featureOffset < 0 || featureOffset + ChannelCount > features.Length)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            int status = Process(samples, offset, _noise, features, featureOffset);
            if (status != 0)
            {
                throw new InvalidOperationException("native front end status " + status);
            }
        }

        // interop/nanoframework/Edge_Micro_Interop_Edge_Micro_Interop_NativeMicroFrontend.cpp -> em_micro_frontend_process().
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int Process(short[] samples, int offset, uint[] noise, sbyte[] features, int featureOffset);
    }
}

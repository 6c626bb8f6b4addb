namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// A front end: one frame of 16-bit samples in, one row of int8 features out, state carried between frames.
    /// <see cref="MicroFrontend"/> is the managed implementation; the native C front end (interop/frontend) is
    /// reached through P/Invoke on the desktop and nanoFramework interop on a custom image.
    /// </summary>
    public interface IFeatureExtractor
    {
        /// <summary>"managed" or "native".</summary>
        string Name { get; }

        /// <summary>Samples consumed per frame (the window length).</summary>
        int FrameSamples { get; }

        /// <summary>Bytes of features produced per frame, in the model input's element type (int8 or float32).</summary>
        int FrameBytes { get; }

        /// <summary>Forgets the state (start of a new stream).</summary>
        void Reset();

        /// <summary>Processes samples[offset, offset + FrameSamples) into output[outputOffset, outputOffset + FrameBytes) (raw tensor bytes, little-endian).</summary>
        void Extract(short[] samples, int offset, byte[] output, int outputOffset);
    }
}

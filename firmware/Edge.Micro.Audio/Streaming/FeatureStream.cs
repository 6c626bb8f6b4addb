using System;
using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Audio.Streaming
{
    /// <summary>
    /// Streaming features: push PCM chunks of any length; each complete frame (window length samples, every
    /// stride samples) goes through the front end into a sliding window of the last WindowFrames frames.
    /// Fixed memory, allocated at construction: a frame buffer and the feature ring. No allocation per chunk.
    /// </summary>
    public sealed class FeatureStream
    {
        private readonly IFeatureExtractor _frontEnd;
        private readonly short[] _frame;
        private readonly byte[] _ring;
        private readonly int _stride;
        private readonly int _frameBytes;
        private readonly int _windowFrames;
        private int _filled;
        private int _head;
        private long _frames;

        /// <summary>Creates a stream: frames of the front end's length every <paramref name="strideSamples"/>, a window of <paramref name="windowFrames"/> frames.</summary>
        public FeatureStream(IFeatureExtractor frontEnd, int strideSamples, int windowFrames)
        {
            if (frontEnd == null)
            {
                throw new ArgumentNullException("frontEnd");
            }

            if (strideSamples < 1 || strideSamples > frontEnd.FrameSamples || windowFrames < 1)
            {
                throw new ArgumentOutOfRangeException("strideSamples");
            }

            _frontEnd = frontEnd;
            _stride = strideSamples;
            _frameBytes = frontEnd.FrameBytes;
            _windowFrames = windowFrames;
            _frame = new short[frontEnd.FrameSamples];
            _ring = new byte[windowFrames * _frameBytes];
        }

        /// <summary>Frames produced since the start (or the last <see cref="Reset"/>).</summary>
        public long Frames { get { return _frames; } }

        /// <summary>True once the window holds WindowFrames frames.</summary>
        public bool WindowFull { get { return _frames >= _windowFrames; } }

        /// <summary>Frames in the window.</summary>
        public int WindowFrames { get { return _windowFrames; } }

        /// <summary>Bytes of one frame of features.</summary>
        public int FrameBytes { get { return _frameBytes; } }

        /// <summary>Bytes of one window (frames x channels).</summary>
        public int WindowBytes { get { return _ring.Length; } }

        /// <summary>Starts a new stream.</summary>
        public void Reset()
        {
            _filled = 0;
            _head = 0;
            _frames = 0;
            _frontEnd.Reset();
        }

        /// <summary>
        /// Pushes samples[offset, offset + count); returns how many new frames entered the window. Calls
        /// <paramref name="onFrame"/> (may be null) after each new frame, so a caller can run the model every N frames.
        /// </summary>
        public int Push(short[] samples, int offset, int count, IFrameListener onFrame)
        {
            int produced = 0;
            int end = offset + count;
            while (offset < end)
            {
                int take = _frame.Length - _filled;
                if (take > end - offset)
                {
                    take = end - offset;
                }

                Array.Copy(samples, offset, _frame, _filled, take);
                _filled += take;
                offset += take;
                if (_filled == _frame.Length)
                {
                    _frontEnd.Extract(_frame, 0, _ring, _head * _frameBytes);
                    _head = (_head + 1) % _windowFrames;
                    _frames++;
                    produced++;
                    Array.Copy(_frame, _stride, _frame, 0, _frame.Length - _stride);
                    _filled = _frame.Length - _stride;
                    if (onFrame != null)
                    {
                        onFrame.FrameReady(this);
                    }
                }
            }

            return produced;
        }

        /// <summary>Copies the window, oldest frame first, into destination[offset, offset + WindowBytes) (raw tensor bytes).</summary>
        public void CopyWindow(byte[] destination, int offset)
        {
            // Frames not produced yet are zero bytes (only reachable before WindowFull).
            for (int f = 0; f < _windowFrames; f++)
            {
                int slot = (_head + f) % _windowFrames;
                bool present = _frames >= _windowFrames || f >= _windowFrames - _frames;
                if (present)
                {
                    Array.Copy(_ring, slot * _frameBytes, destination, offset + f * _frameBytes, _frameBytes);
                }
                else
                {
                    Array.Clear(destination, offset + f * _frameBytes, _frameBytes);
                }
            }
        }
    }

    /// <summary>Receives each new frame of a <see cref="FeatureStream"/>.</summary>
    public interface IFrameListener
    {
        /// <summary>A frame entered the window.</summary>
        void FrameReady(FeatureStream stream);
    }
}

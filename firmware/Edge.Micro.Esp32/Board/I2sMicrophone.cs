using System;
using System.Device.I2s;
using Edge.Micro.Device.Platform;
using nanoFramework.Hardware.Esp32;

namespace Edge.Micro.Esp32.Board
{
    /// <summary>
    /// An INMP441-class I2S microphone at 16 kHz: 32-bit left-channel slots whose top 24 bits hold the sample;
    /// the top 16 bits become the int16 sample the front end expects.
    /// </summary>
    public sealed class I2sMicrophone : IAudioSource
    {
        private const int SampleRate = 16000;
        private readonly I2sDevice _i2s;
        private readonly SpanByte _raw;
        private readonly byte[] _buffer = new byte[320 * 4];

        public I2sMicrophone(int bus, int clockPin, int wordSelectPin, int dataPin)
        {
            Configuration.SetPinFunction(clockPin, DeviceFunction.I2S1_BCK);
            Configuration.SetPinFunction(wordSelectPin, DeviceFunction.I2S1_WS);
            Configuration.SetPinFunction(dataPin, DeviceFunction.I2S1_MDATA_IN);
            _i2s = new I2sDevice(new I2sConnectionSettings(bus)
            {
                Mode = I2sMode.Master | I2sMode.Rx,
                SampleRate = SampleRate,
                BitsPerSample = I2sBitsPerSample.Bit32,
                ChannelFormat = I2sChannelFormat.OnlyLeft,
                CommunicationFormat = I2sCommunicationFormat.I2S,
            });
            _raw = new SpanByte(_buffer);
        }

        /// <summary>The driver's DMA ring absorbs timing jitter; overruns are not reported by it.</summary>
        public long DroppedSamples { get { return 0; } }

        public int Read(short[] buffer, int offset, int count)
        {
            int want = Math.Min(count, _buffer.Length / 4);
            _i2s.Read(_raw.Slice(0, want * 4));
            for (int i = 0; i < want; i++)
            {
                // little-endian 32-bit slot: bytes 2 and 3 are the top 16 bits
                buffer[offset + i] = (short)(_buffer[4 * i + 2] | (_buffer[4 * i + 3] << 8));
            }

            return want;
        }
    }
}

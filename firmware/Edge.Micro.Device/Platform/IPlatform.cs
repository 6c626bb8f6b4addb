using Edge.Micro.Audio.Recognition;

namespace Edge.Micro.Device.Platform
{
    /// <summary>What the device loop needs from a board (ESP32 app) or from the host simulator; its clock (<see cref="ITickSource.Ticks"/>) is monotonic.</summary>
    public interface IPlatform : ITickSource
    {
        /// <summary>Firmware version text.</summary>
        string FirmwareVersion { get; }

        /// <summary>Free managed memory in bytes, or -1 where the platform does not report it.</summary>
        long FreeMemory { get; }

        /// <summary>Restarts the device (the simulator restarts its loop).</summary>
        void Reboot();
    }

    /// <summary>A microphone: non-blocking reads of 16 kHz mono 16-bit samples.</summary>
    public interface IAudioSource
    {
        /// <summary>Reads up to count samples into buffer[offset..]; returns how many (0 when none are ready).</summary>
        int Read(short[] buffer, int offset, int count);

        /// <summary>Samples lost because the loop did not read in time (overruns), since start.</summary>
        long DroppedSamples { get; }
    }

    /// <summary>An indicator (the board's LED) pulsed on each detection.</summary>
    public interface IIndicator
    {
        /// <summary>Signals a detection.</summary>
        void Pulse();
    }

    /// <summary>The shell's byte stream (a UART on the board, stdio or a pseudo-terminal in the simulator).</summary>
    public interface IShellPort
    {
        /// <summary>Reads available bytes without blocking; returns 0 when none are waiting.</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes bytes.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Edge.Micro.Device.Platform;

namespace Edge.Micro.Host.Simulation;

/// <summary>A WAV recording as the microphone: as fast as the loop reads, or at the real-time rate; optionally looping.</summary>
public sealed class WavMicrophone(short[] samples, bool realtime, bool loop) : IAudioSource
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _position;

    /// <summary>True once a non-looping recording has been read to its end.</summary>
    public bool Finished => !loop && _position >= samples.Length;

    /// <summary>Samples delivered so far.</summary>
    public long Delivered => _position;

    /// <inheritdoc />
    public long DroppedSamples => 0;

    /// <inheritdoc />
    public int Read(short[] buffer, int offset, int count)
    {
        if (samples.Length == 0)
        {
            return 0;
        }

        if (realtime)
        {
            long due = _clock.ElapsedTicks * 16000 / Stopwatch.Frequency;
            count = (int)Math.Min(count, Math.Max(0, due - _position));
        }

        int n = 0;
        while (n < count && (loop || _position < samples.Length))
        {
            buffer[offset + n++] = samples[_position % samples.Length];
            _position++;
        }

        return n;
    }
}

/// <summary>The host as the platform: Stopwatch time, the managed heap's free-memory figure unknown (-1), reboot restarts the loop.</summary>
public sealed class HostPlatform : IPlatform
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <inheritdoc />
    public string FirmwareVersion => "edge-micro-sim " + typeof(HostPlatform).Assembly.GetName().Version;

    /// <inheritdoc />
    public long Ticks => _clock.Elapsed.Ticks;

    /// <inheritdoc />
    public long FreeMemory => -1;

    /// <summary>Set by reboot; the simulator rebuilds the device.</summary>
    public bool RebootRequested { get; set; }

    /// <inheritdoc />
    public void Reboot() => RebootRequested = true;
}

/// <summary>Counts the indicator's pulses (the board's LED).</summary>
public sealed class CountingIndicator : IIndicator
{
    /// <summary>Pulses so far.</summary>
    public int Pulses { get; private set; }

    /// <inheritdoc />
    public void Pulse() => Pulses++;
}

/// <summary>The shell port over streams: a background thread reads input into a queue so <see cref="Read"/> never blocks.</summary>
public sealed class StreamShellPort : IShellPort
{
    private readonly ConcurrentQueue<byte> _input = new();
    private readonly Stream _output;
    private readonly object _writeLock = new();

    /// <summary>Starts reading <paramref name="input"/> in the background.</summary>
    public StreamShellPort(Stream input, Stream output)
    {
        _output = output;
        var reader = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                int n;
                while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        _input.Enqueue(buffer[i]);
                    }
                }
            }
            catch (IOException)
            {
            }

            InputClosed = true;
        })
        { IsBackground = true, Name = "shell-input" };
        reader.Start();
    }

    /// <summary>True once the input stream ended.</summary>
    public volatile bool InputClosed;

    /// <summary>True when no input is waiting.</summary>
    public bool Idle => _input.IsEmpty;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _input.TryDequeue(out byte b))
        {
            buffer[offset + n++] = b;
        }

        return n;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_writeLock)
        {
            try
            {
                _output.Write(buffer, offset, count);
                _output.Flush();
            }
            catch (IOException)
            {
                // the client went away; the device keeps running
            }
        }
    }
}

using System.Runtime.InteropServices;
using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Host.Native;

/// <summary>
/// A <see cref="MicroFrontendTables"/> handed to the native front end as its em_frontend_tables struct: the
/// arrays are pinned for the lifetime of this object (desktop only; the device build uses the tables compiled
/// into the firmware image), so the struct's pointers stay valid between calls. Dispose unpins them.
/// </summary>
public sealed class NativeFrontendTables : IDisposable
{
    /// <summary>em_frontend_tables, field for field (interop/include/edge_micro.h); sequential layout gives C's padding.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Native
    {
        public nint Window;
        public int WindowLength, WindowShift, FftLength;
        public nint Twiddles, Factors, SuperTwiddles;
        public int EnergyStart, EnergyEnd, Channels;
        public nint ChannelFrequencyStarts, ChannelWeightStarts, ChannelWidths, Weights, Unweights;
        public int EvenSmoothing, OddSmoothing, MinSignalRemaining, SmoothingBits, SpectralSubtractionBits;
        public nint PcanGainLut;
        public int PcanSnrShift, LogCorrectionBits, LogOutputScale;
    }

    private readonly List<GCHandle> _pins = [];

    /// <summary>Pins the arrays of <paramref name="t"/> and fills the native struct.</summary>
    public NativeFrontendTables(MicroFrontendTables t)
    {
        Tables = t;
        Struct = new Native
        {
            Window = Pin(t.Window), WindowLength = t.Window.Length, WindowShift = t.WindowShift, FftLength = t.FftLength,
            Twiddles = Pin(t.Twiddles), Factors = Pin(t.Factors), SuperTwiddles = Pin(t.SuperTwiddles),
            EnergyStart = t.EnergyStart, EnergyEnd = t.EnergyEnd, Channels = t.Channels,
            ChannelFrequencyStarts = Pin(t.ChannelFrequencyStarts), ChannelWeightStarts = Pin(t.ChannelWeightStarts),
            ChannelWidths = Pin(t.ChannelWidths), Weights = Pin(t.Weights), Unweights = Pin(t.Unweights),
            EvenSmoothing = t.EvenSmoothing, OddSmoothing = t.OddSmoothing, MinSignalRemaining = t.MinSignalRemaining,
            SmoothingBits = t.SmoothingBits, SpectralSubtractionBits = t.SpectralSubtractionBits,
            PcanGainLut = Pin(t.PcanGainLut), PcanSnrShift = t.PcanSnrShift, LogCorrectionBits = t.LogCorrectionBits,
            LogOutputScale = t.LogOutputScale,
        };
    }

    /// <summary>The managed tables.</summary>
    public MicroFrontendTables Tables { get; }

    internal Native Struct { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (GCHandle pin in _pins)
        {
            pin.Free();
        }

        _pins.Clear();
    }

    private nint Pin(Array array)
    {
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        _pins.Add(handle);
        return handle.AddrOfPinnedObject();
    }
}

using System.Runtime.InteropServices;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Host.Native;

/// <summary>
/// A model resident in native memory, outside the managed heap: the desktop's stand-in for the firmware image's
/// flash array (`name.c`) that the interop assembly's <c>FlashModel</c> reads on a board. The native kernels run it
/// in place; a <see cref="Edge.Micro.Runtime.Model"/> built on it keeps only its tables in managed memory.
/// </summary>
public sealed unsafe class NativeModelMemory : IModelReader, IDisposable
{
    private const int Alignment = 16;
    private byte* _memory;

    /// <summary>Copies <paramref name="model"/> into 16-byte aligned native memory (the model's constants are aligned to 16 from the file's start).</summary>
    public NativeModelMemory(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Length = model.Length;
        _memory = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(model.Length, 1), Alignment);
        model.CopyTo(new Span<byte>(_memory, model.Length));
    }

    /// <inheritdoc />
    public int Length { get; }

    /// <summary>The model's first byte, valid until <see cref="Dispose"/>.</summary>
    public byte* Pointer => _memory != null ? _memory : throw new ObjectDisposedException(nameof(NativeModelMemory));

    /// <inheritdoc />
    public void Read(int offset, byte[] destination, int destinationOffset, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes [{offset}, {offset + count}) are outside the model's {Length}");
        }

        new ReadOnlySpan<byte>(Pointer + offset, count).CopyTo(destination.AsSpan(destinationOffset, count));
    }

    /// <summary>Frees the native memory; models built on it must not run afterwards.</summary>
    public void Dispose()
    {
        if (_memory != null)
        {
            NativeMemory.AlignedFree(_memory);
            _memory = null;
        }
    }
}

using System.Globalization;
using Edge.Micro.Device.Update;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Host.Simulation;

/// <summary>
/// The simulator's flash: a folder holding the two model slots (slot0.emm, slot1.emm, each with a .meta file giving
/// the length and CRC-32 it was prepared for), the active slot number and the settings. Slot data is appended and
/// flushed to disk before a write returns; "active", the .meta files and the settings are replaced by writing a
/// temporary file and renaming it over the old one, which POSIX makes atomic: a simulator killed at any instant
/// restarts on the old model or the new one.
/// </summary>
public sealed class FileModelStore : IModelStore
{
    /// <summary>Bytes a slot holds by default: 256 KB, an ESP32 OTA-style data partition's order of size.</summary>
    public const int DefaultSlotCapacity = 256 * 1024;

    private readonly string _folder;

    /// <summary>Opens (creating it if needed) the store in <paramref name="folder"/>.</summary>
    public FileModelStore(string folder, int slotCapacity = DefaultSlotCapacity)
    {
        _folder = folder;
        SlotCapacity = slotCapacity;
        Directory.CreateDirectory(folder);
    }

    /// <inheritdoc />
    public int SlotCapacity { get; }

    /// <inheritdoc />
    public int ActiveSlot => ReadText("active") is string text && int.TryParse(text, out int slot) && slot is 0 or 1 ? slot : -1;

    /// <inheritdoc />
    public void Prepare(int slot, int length, uint crc)
    {
        CheckSlot(slot);
        File.WriteAllBytes(SlotPath(slot), []);
        ReplaceText($"slot{slot}.meta", $"{length} {crc:x8}");
    }

    /// <inheritdoc />
    public int PreparedLength(int slot) => Meta(slot).Length;

    /// <inheritdoc />
    public uint PreparedCrc(int slot) => Meta(slot).Crc;

    /// <inheritdoc />
    public int WrittenBytes(int slot)
    {
        CheckSlot(slot);
        var file = new FileInfo(SlotPath(slot));
        return file.Exists ? (int)Math.Min(file.Length, int.MaxValue) : 0;
    }

    /// <inheritdoc />
    public void Append(int slot, byte[] data, int offset, int count)
    {
        CheckSlot(slot);
        if (WrittenBytes(slot) + (long)count > SlotCapacity)
        {
            throw new IOException($"slot {slot} holds at most {SlotCapacity} bytes");
        }

        using var stream = new FileStream(SlotPath(slot), FileMode.Append, FileAccess.Write);
        stream.Write(data, offset, count);
        stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public IModelReader Open(int slot)
    {
        // The slot's bytes in native memory: the simulator's stand-in for a memory-mapped flash partition, which
        // the native kernels run in place and the managed ones read through.
        byte[] bytes = File.ReadAllBytes(SlotPath(slot));
        int length = PreparedLength(slot);
        return new NativeModelMemory(bytes.Length > length ? bytes[..length] : bytes);
    }

    /// <inheritdoc />
    public void Activate(int slot)
    {
        CheckSlot(slot);
        ReplaceText("active", slot.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public string? ReadSettings() => ReadText("settings");

    /// <inheritdoc />
    public void WriteSettings(string settings) => ReplaceText("settings", settings);

    private string SlotPath(int slot) => Path.Combine(_folder, $"slot{slot}.emm");

    private (int Length, uint Crc) Meta(int slot)
    {
        CheckSlot(slot);
        string[] parts = (ReadText($"slot{slot}.meta") ?? "").Split(' ');
        return parts.Length == 2 && int.TryParse(parts[0], out int length)
            && uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint crc) ? (length, crc) : (0, 0u);
    }

    private string? ReadText(string name)
    {
        string path = Path.Combine(_folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private void ReplaceText(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CheckSlot(int slot)
    {
        if (slot is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(slot), "slots are 0 and 1");
        }
    }
}

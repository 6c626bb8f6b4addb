using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Device.Update
{
    /// <summary>
    /// Two model slots and the device's settings in persistent storage (the host simulator: files; an ESP32: a flash
    /// partition, docs/fleet.md). A new model is written into the slot the device does not run, appended piece by
    /// piece, and becomes the one the device runs only by <see cref="Activate"/>, a single atomic step: a reset at
    /// any moment leaves the device on the old model or the new one, never neither.
    /// </summary>
    public interface IModelStore
    {
        /// <summary>Bytes one slot can hold.</summary>
        int SlotCapacity { get; }

        /// <summary>The slot the device runs (0 or 1), or -1 while it runs the model it was built with.</summary>
        int ActiveSlot { get; }

        /// <summary>Starts a new image of <paramref name="length"/> bytes and CRC-32 <paramref name="crc"/> in a slot, forgetting what it held.</summary>
        void Prepare(int slot, int length, uint crc);

        /// <summary>The length a slot was last prepared for (0 if never).</summary>
        int PreparedLength(int slot);

        /// <summary>The CRC-32 a slot was last prepared for.</summary>
        uint PreparedCrc(int slot);

        /// <summary>Bytes durably written into a slot since it was prepared.</summary>
        int WrittenBytes(int slot);

        /// <summary>Appends bytes to a slot (after <see cref="WrittenBytes"/>); they are durable when it returns.</summary>
        void Append(int slot, byte[] data, int offset, int count);

        /// <summary>The slot's image (its prepared length) for reading: a model is built on it in place.</summary>
        IModelReader Open(int slot);

        /// <summary>Makes <paramref name="slot"/> the one the device runs, atomically.</summary>
        void Activate(int slot);

        /// <summary>The saved settings (<see cref="DeviceSettings"/> text), or null if none were saved.</summary>
        string ReadSettings();

        /// <summary>Replaces the saved settings, atomically.</summary>
        void WriteSettings(string settings);
    }
}

using System;
using System.Runtime.CompilerServices;
using Edge.Micro.Device.Update;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Interop
{
    /// <summary>
    /// The model store of a custom ESP32 image (docs/fleet.md): two model slots and the state on the flash partitions
    /// emodel0, emodel1 and emstate, written by interop/store/model_store.c so that a power cut at any instant leaves
    /// the old model or the new one. A slot's model is read in place (<see cref="FlashSlotReader"/>): the native kernels
    /// run it from memory-mapped flash.
    /// </summary>
    public sealed class FlashModelStore : IModelStore
    {
        private const int StatusOk = 0;
        private const int MaxSettingsBytes = 1024;
        private readonly int[] _result = new int[3];
        private readonly byte[] _settings = new byte[MaxSettingsBytes];

        private FlashModelStore()
        {
        }

        /// <summary>The image's store, or null when the image has no such partitions (the update commands then say so).</summary>
        public static FlashModelStore Open()
        {
            return NativeCapacity(0) > 0 ? new FlashModelStore() : null;
        }

        /// <inheritdoc />
        public int SlotCapacity { get { return NativeCapacity(0); } }

        /// <inheritdoc />
        public int ActiveSlot
        {
            get
            {
                Check(NativeState(_settings, _result), "read the state");
                return _result[0];
            }
        }

        /// <inheritdoc />
        public void Prepare(int slot, int length, uint crc)
        {
            Check(NativePrepare(slot, length, (int)crc), "prepare slot " + slot.ToString());
        }

        /// <inheritdoc />
        public int PreparedLength(int slot)
        {
            Prepared(slot);
            return _result[0];
        }

        /// <inheritdoc />
        public uint PreparedCrc(int slot)
        {
            Prepared(slot);
            return (uint)_result[1];
        }

        /// <inheritdoc />
        public int WrittenBytes(int slot)
        {
            Prepared(slot);
            return _result[2];
        }

        /// <inheritdoc />
        public void Append(int slot, byte[] data, int offset, int count)
        {
            Check(NativeAppend(slot, data, offset, count), "write slot " + slot.ToString());
        }

        /// <inheritdoc />
        public IModelReader Open(int slot)
        {
            return new FlashSlotReader(slot, PreparedLength(slot));
        }

        /// <inheritdoc />
        public void Activate(int slot)
        {
            int length = ReadSettingsBytes();
            Check(NativeWriteState(slot, _settings, length), "switch to slot " + slot.ToString());
        }

        /// <inheritdoc />
        public string ReadSettings()
        {
            int length = ReadSettingsBytes();
            char[] text = new char[length];
            for (int i = 0; i < length; i++)
            {
                text[i] = (char)_settings[i];
            }

            return length == 0 ? null : new string(text);
        }

        /// <inheritdoc />
        public void WriteSettings(string settings)
        {
            int active = ActiveSlot;
            int length = settings.Length < MaxSettingsBytes ? settings.Length : MaxSettingsBytes;
            for (int i = 0; i < length; i++)
            {
                _settings[i] = (byte)(settings[i] < 0x80 ? settings[i] : '?');
            }

            Check(NativeWriteState(active, _settings, length), "save the settings");
        }

        private int ReadSettingsBytes()
        {
            Check(NativeState(_settings, _result), "read the state");
            return _result[1] < MaxSettingsBytes ? _result[1] : MaxSettingsBytes;
        }

        private void Prepared(int slot)
        {
            Check(NativePrepared(slot, _result), "read slot " + slot.ToString());
        }

        private static void Check(int status, string what)
        {
            if (status != StatusOk)
            {
                // em_store_status: 1 bad arguments, 2 the flash driver failed, 3 a chunk out of order.
                throw new InvalidOperationException("model store: cannot " + what + " (em_store_status " + status.ToString() + ")");
            }
        }

        // interop/nanoframework/Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore.cpp -> interop/store/model_store.c.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeCapacity(int slot);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativePrepare(int slot, int length, int crc);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativePrepared(int slot, int[] result);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeAppend(int slot, byte[] data, int offset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int NativeRead(int slot, int offset, byte[] destination, int destinationOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeState(byte[] settings, int[] result);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeWriteState(int activeSlot, byte[] settings, int count);
    }

    /// <summary>A stored model read in place from its flash slot; <see cref="NativeKernels"/> run it there.</summary>
    public sealed class FlashSlotReader : IModelReader
    {
        /// <summary>Reads <paramref name="length"/> bytes of model from slot <paramref name="slot"/>.</summary>
        public FlashSlotReader(int slot, int length)
        {
            Slot = slot;
            Length = length;
        }

        /// <summary>The slot (0 or 1).</summary>
        public int Slot { get; private set; }

        /// <inheritdoc />
        public int Length { get; private set; }

        /// <inheritdoc />
        public void Read(int offset, byte[] destination, int destinationOffset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > Length
                || FlashModelStore.NativeRead(Slot, offset, destination, destinationOffset, count) != 0)
            {
                throw new ArgumentOutOfRangeException("offset", "outside the slot's model or the destination");
            }
        }
    }
}

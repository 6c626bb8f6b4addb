using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Device.Update
{
    /// <summary>
    /// Receives a new model over the console into the slot the device does not run (docs/fleet.md, "Model update"):
    /// <see cref="Begin"/> with the length and CRC-32 up front (answering how much of that same image the slot
    /// already holds, so a transfer cut by a reset resumes), <see cref="Data"/> for each chunk in order, each with its
    /// own CRC-32, and <see cref="Commit"/>, which switches only after the whole image matches its CRC, loads as a
    /// model, fits the device and passes its embedded self-test. Every method returns null or the reason it refused;
    /// a refusal changes nothing the device runs.
    /// </summary>
    public sealed class ModelUpdate
    {
        /// <summary>Largest chunk <see cref="Data"/> takes (128 hex digits fit the shell's 200-byte line).</summary>
        public const int MaxChunkBytes = 64;

        private const int CrcPieceBytes = 256;
        private readonly IModelStore _store;
        private readonly byte[] _piece = new byte[CrcPieceBytes];
        private int _slot = -1;

        /// <summary>An update path over <paramref name="store"/>.</summary>
        public ModelUpdate(IModelStore store)
        {
            _store = store;
        }

        /// <summary>The slot being written, or -1 before <see cref="Begin"/>.</summary>
        public int StagingSlot { get { return _slot; } }

        /// <summary>Bytes of the image received so far (0 before <see cref="Begin"/>).</summary>
        public int Received { get { return _slot < 0 ? 0 : _store.WrittenBytes(_slot); } }

        /// <summary>Length of the image being received (0 before <see cref="Begin"/>).</summary>
        public int Length { get { return _slot < 0 ? 0 : _store.PreparedLength(_slot); } }

        /// <summary>
        /// Starts (or resumes) receiving an image of <paramref name="length"/> bytes with CRC-32 <paramref name="crc"/>
        /// into the slot the device does not run. If that slot already holds part of the same image, the transfer
        /// resumes where it stopped (<see cref="Received"/>).
        /// </summary>
        public string Begin(int length, uint crc)
        {
            if (length < EmmFormat.HeaderBytes || length > _store.SlotCapacity)
            {
                return "a model of " + length.ToString() + " bytes does not fit a slot of " + _store.SlotCapacity.ToString();
            }

            int slot = _store.ActiveSlot == 0 ? 1 : 0;
            bool resume = _store.PreparedLength(slot) == length && _store.PreparedCrc(slot) == crc && _store.WrittenBytes(slot) <= length;
            if (!resume)
            {
                _store.Prepare(slot, length, crc);
            }

            _slot = slot;
            return null;
        }

        /// <summary>
        /// Appends <paramref name="count"/> bytes received for image offset <paramref name="offset"/>, whose CRC-32 the
        /// sender computed as <paramref name="chunkCrc"/>. A chunk that was already received (its acknowledgement was
        /// lost) is acknowledged again without writing; any other offset than <see cref="Received"/> is refused.
        /// </summary>
        public string Data(int offset, byte[] chunk, int count, uint chunkCrc)
        {
            if (_slot < 0)
            {
                return "no update begun (update begin <bytes> <crc32>)";
            }

            if (Crc32.Compute(chunk, 0, count) != chunkCrc)
            {
                return "chunk at " + offset.ToString() + " damaged in transit (its CRC-32 differs): send it again";
            }

            int received = Received;
            if (offset < received && offset + count <= received)
            {
                return null;
            }

            if (offset != received)
            {
                return "expected offset " + received.ToString();
            }

            if (received + count > Length)
            {
                return "chunk ends past the model's " + Length.ToString() + " bytes";
            }

            if (count != MaxChunkBytes && received + count != Length)
            {
                return "chunks are " + MaxChunkBytes.ToString() + " bytes, only the last one shorter";
            }

            _store.Append(_slot, chunk, 0, count);
            return null;
        }

        /// <summary>
        /// Checks the received image and switches <paramref name="device"/> to it: the whole image's CRC-32, the model
        /// loader's validation, the fit to the device (front end, input, labels) and the model's self-test, then the
        /// store's atomic switch. Returns null when the device runs the new model.
        /// </summary>
        public string Commit(DeviceLoop device)
        {
            if (_slot < 0)
            {
                return "no update begun (update begin <bytes> <crc32>)";
            }

            if (Received != Length)
            {
                return "incomplete: " + Received.ToString() + " of " + Length.ToString() + " bytes received";
            }

            IModelReader image = _store.Open(_slot);
            if (Crc32.Compute(image, 0, _piece) != _store.PreparedCrc(_slot))
            {
                _store.Prepare(_slot, 0, 0);
                _slot = -1;
                return "the received model's CRC-32 differs from the one announced: send it again";
            }

            Model model;
            try
            {
                model = new Model(image);
            }
            catch (ModelException e)
            {
                return "not a model this firmware runs: " + e.Message;
            }

            string refusal = device.SwitchModel(model, _slot);
            if (refusal == null)
            {
                _slot = -1;
            }

            return refusal;
        }
    }
}

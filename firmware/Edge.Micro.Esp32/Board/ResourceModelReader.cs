using System;
using System.Resources;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Storage;
using nanoFramework.Runtime.Native;

namespace Edge.Micro.Esp32.Board
{
    /// <summary>
    /// The model as a binary resource of the app (docs/firmware.md, "Carrying the model"), read in pieces with
    /// nanoFramework's <c>ResourceUtility.GetObject(manager, id, offset, length)</c> so that the whole model is never
    /// copied into the managed heap. Each piece is a short-lived array (the constants of one op per inference).
    /// </summary>
    internal sealed class ResourceModelReader : IModelReader
    {
        private readonly ResourceManager _manager;
        private readonly Enum _id;
        private readonly int _length;

        /// <summary>Reads resource <paramref name="id"/>; its length is the one its .emm header records.</summary>
        public ResourceModelReader(ResourceManager manager, Enum id)
        {
            _manager = manager;
            _id = id;
            byte[] header = Piece(0, EmmFormat.HeaderBytes);
            _length = LittleEndian.ReadInt32(header, EmmFormat.HeaderTotalBytes);
        }

        /// <inheritdoc />
        public int Length { get { return _length; } }

        /// <inheritdoc />
        public void Read(int offset, byte[] destination, int destinationOffset, int count)
        {
            Array.Copy(Piece(offset, count), 0, destination, destinationOffset, count);
        }

        private byte[] Piece(int offset, int count)
        {
            byte[] piece = (byte[])ResourceUtility.GetObject(_manager, _id, offset, count);
            if (piece == null || piece.Length != count)
            {
                throw new InvalidOperationException("the model resource ends before byte " + (offset + count) + ": add the .emm that convert wrote (docs/firmware.md)");
            }

            return piece;
        }
    }
}

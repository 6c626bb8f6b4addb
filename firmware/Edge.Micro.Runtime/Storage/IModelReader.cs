namespace Edge.Micro.Runtime.Storage
{
    /// <summary>
    /// Random access to a model's bytes wherever they live: a flash partition or a C array in the firmware image
    /// (native interop), an app resource read in pieces, a file on the desktop. A <see cref="Model"/> built on a
    /// reader keeps only the tables in RAM and reads each op's constants when the op runs (docs/firmware.md,
    /// "Managed heap at start-up"); the model itself is never copied into RAM.
    /// </summary>
    public interface IModelReader
    {
        /// <summary>Total bytes of the model.</summary>
        int Length { get; }

        /// <summary>
        /// Copies bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of the model
        /// into <paramref name="destination"/> at <paramref name="destinationOffset"/>. Callers stay inside
        /// <see cref="Length"/>; an implementation throws if its medium fails.
        /// </summary>
        void Read(int offset, byte[] destination, int destinationOffset, int count);
    }
}

using System;

namespace Edge.Micro.Runtime
{
    /// <summary>A model was refused at load time; <see cref="Code"/> is a <see cref="ModelError"/> value.</summary>
    public class ModelException : Exception
    {
        /// <summary>Creates the exception for an error code, with an optional detail (op index, tensor index...).</summary>
        public ModelException(int code, string detail)
            : base(detail == null ? ModelError.Message(code) : ModelError.Message(code) + " (" + detail + ")")
        {
            Code = code;
        }

        /// <summary>The <see cref="ModelError"/> code.</summary>
        public int Code { get; private set; }
    }
}

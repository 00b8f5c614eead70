/** Placeholder: the demo application lands with issue 7. */
export {}

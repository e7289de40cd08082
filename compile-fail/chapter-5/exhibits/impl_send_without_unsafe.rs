// Implementing Send is a promise the compiler cannot check, so it must be
// written `unsafe impl`.
struct Handle {
    ptr: *mut u8,
}

impl Send for Handle {}

fn main() {
    let handle = Handle {
        ptr: std::ptr::null_mut(),
    };
    println!("{:?}", handle.ptr);
}

package dev.cmr.model.opencl;

import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_NAME;
import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_TYPE_ALL;
import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_TYPE_GPU;
import static org.bytedeco.opencl.global.OpenCL.CL_PLATFORM_NAME;
import static org.bytedeco.opencl.global.OpenCL.clGetDeviceIDs;
import static org.bytedeco.opencl.global.OpenCL.clGetDeviceInfo;
import static org.bytedeco.opencl.global.OpenCL.clGetPlatformIDs;
import static org.bytedeco.opencl.global.OpenCL.clGetPlatformInfo;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_platform_id;
import org.bytedeco.opencl.global.OpenCL;

/**
 * An OpenCL device to run the model on, found through the JavaCPP opencl preset (which carries the ICD loader, so
 * it loads on any Linux x86-64; the vendor drivers are what may be missing). Immutable; the handles are owned by
 * the OpenCL runtime and need no release.
 */
public final class OpenClDevice {
    private final _cl_platform_id platform;
    private final _cl_device_id device;
    private final String platformName;
    private final String deviceName;
    private final long maxWorkGroupSize;

    private OpenClDevice(_cl_platform_id platform, _cl_device_id device) {
        this.platform = platform;
        this.device = device;
        this.platformName = platformString(platform, CL_PLATFORM_NAME);
        this.deviceName = deviceString(device, CL_DEVICE_NAME);
        SizeTPointer size = new SizeTPointer(1);
        Cl.check(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, 8, size, null),
                "clGetDeviceInfo(CL_DEVICE_MAX_WORK_GROUP_SIZE)");
        this.maxWorkGroupSize = size.get();
    }

    /**
     * Either a device, or the precise reason there is none.
     *
     * @param device null when unavailable
     * @param reason why there is no device; null when there is one
     */
    public record Detection(OpenClDevice device, String reason) {
        public boolean available() {
            return device != null;
        }
    }

    /** The first GPU of any platform, else the first device of any type. Never throws. */
    public static Detection detect() {
        try {
            Loader.load(OpenCL.class);
        } catch (Throwable e) { // UnsatisfiedLinkError and friends: report, never fail the caller
            return new Detection(null, "the OpenCL binding could not be loaded: " + e);
        }
        try {
            IntPointer count = new IntPointer(1);
            int status = clGetPlatformIDs(0, (PointerPointer<?>) null, count);
            if (status == -1001 || (status == 0 && count.get() == 0)) {
                return new Detection(null, "no OpenCL platform is installed (no ICD under /etc/OpenCL/vendors;"
                        + " e.g. install pocl-opencl-icd)");
            }
            Cl.check(status, "clGetPlatformIDs");
            PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(count.get());
            Cl.check(clGetPlatformIDs(count.get(), platforms, (IntPointer) null), "clGetPlatformIDs");
            OpenClDevice fallback = null;
            StringBuilder empty = new StringBuilder();
            for (int p = 0; p < count.get(); p++) {
                _cl_platform_id platform = platforms.get(_cl_platform_id.class, p);
                OpenClDevice gpu = first(platform, CL_DEVICE_TYPE_GPU);
                if (gpu != null) {
                    return new Detection(gpu, null);
                }
                OpenClDevice any = first(platform, CL_DEVICE_TYPE_ALL);
                if (any == null) {
                    empty.append(empty.length() == 0 ? "" : ", ").append(platformString(platform, CL_PLATFORM_NAME));
                } else if (fallback == null) {
                    fallback = any;
                }
            }
            if (fallback != null) {
                return new Detection(fallback, null);
            }
            return new Detection(null, "OpenCL platforms without a device: " + empty);
        } catch (RuntimeException e) {
            return new Detection(null, e.getMessage());
        }
    }

    /**
     * The device {@link #detect()} finds.
     *
     * @throws IllegalStateException with the reason when there is none
     */
    public static OpenClDevice first() {
        Detection d = detect();
        if (!d.available()) {
            throw new IllegalStateException("no OpenCL device: " + d.reason());
        }
        return d.device();
    }

    private static OpenClDevice first(_cl_platform_id platform, long type) {
        IntPointer count = new IntPointer(1);
        int status = clGetDeviceIDs(platform, type, 0, (PointerPointer<?>) null, count);
        if (status == -1 || count.get() == 0) { // CL_DEVICE_NOT_FOUND
            return null;
        }
        Cl.check(status, "clGetDeviceIDs");
        PointerPointer<_cl_device_id> devices = new PointerPointer<>(1);
        Cl.check(clGetDeviceIDs(platform, type, 1, devices, (IntPointer) null), "clGetDeviceIDs");
        return new OpenClDevice(platform, devices.get(_cl_device_id.class, 0));
    }

    private static String platformString(_cl_platform_id platform, int param) {
        SizeTPointer size = new SizeTPointer(1);
        Cl.check(clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo");
        BytePointer out = new BytePointer(Math.max(1, size.get()));
        Cl.check(clGetPlatformInfo(platform, param, out.capacity(), out, null), "clGetPlatformInfo");
        return text(out, size.get());
    }

    private static String deviceString(_cl_device_id device, int param) {
        SizeTPointer size = new SizeTPointer(1);
        Cl.check(clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo");
        BytePointer out = new BytePointer(Math.max(1, size.get()));
        Cl.check(clGetDeviceInfo(device, param, out.capacity(), out, null), "clGetDeviceInfo");
        return text(out, size.get());
    }

    /** The C string OpenCL wrote ({@code bytes} counts its terminating NUL). */
    private static String text(BytePointer out, long bytes) {
        // Without a limit, BytePointer.getString() would read the whole capacity, not up to the NUL.
        return out.limit(Math.max(0, bytes - 1)).getString().trim();
    }

    _cl_platform_id platform() {
        return platform;
    }

    _cl_device_id handle() {
        return device;
    }

    public String platformName() {
        return platformName;
    }

    public String name() {
        return deviceName;
    }

    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    @Override
    public String toString() {
        return deviceName + " (" + platformName + ")";
    }
}

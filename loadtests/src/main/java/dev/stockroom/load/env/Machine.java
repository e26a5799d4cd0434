package dev.stockroom.load.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the machine gave the run, read from {@code /proc}: its cores and load average, how busy its CPUs were, and how
 * much CPU each process of the run got. On a machine shared with other builds this tells a slow service from a
 * starved one.
 */
public final class Machine {

    /** Clock ticks per second of the times in {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private Machine() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} gives them. */
    public static String loadAverage() {
        return read(Path.of("/proc/loadavg")).map(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3)))
                .orElse("unknown");
    }

    /** The 1 minute load average, or -1 when unknown. */
    public static double loadAverage1m() {
        return read(Path.of("/proc/loadavg")).map(l -> Double.parseDouble(l.split(" ")[0])).orElse(-1.0);
    }

    /**
     * CPU used so far by the machine and by each named process, in seconds.
     *
     * @param machineBusy  seconds any CPU was busy (not idle, not waiting for I/O), summed over the cores
     * @param machineTotal seconds elapsed, summed over the cores
     * @param processes    CPU seconds by name; a process that started again is a new name
     */
    public record Sample(long nanos, double machineBusy, double machineTotal, Map<String, Double> processes) {

        /** What happened between this sample and a later one, as lines for a run's record. */
        public List<String> until(Sample later) {
            double wall = (later.nanos - nanos) / 1e9;
            double busy = (later.machineBusy - machineBusy) / Math.max(1e-9, later.machineTotal - machineTotal);
            StringBuilder ours = new StringBuilder();
            double sum = 0;
            for (Map.Entry<String, Double> p : later.processes.entrySet()) {
                Double before = processes.get(p.getKey());
                if (before != null) {
                    double cores = (p.getValue() - before) / wall;
                    sum += cores;
                    ours.append("%s%s %.2f".formatted(ours.isEmpty() ? "" : ", ", p.getKey(), cores));
                }
            }
            return List.of("over %.0f s: the machine's %d cores were %.0f%% busy; this run's processes used %.2f cores"
                    .formatted(wall, cores(), busy * 100, sum) + " (" + ours + ")");
        }
    }

    /** The CPU used so far by the machine and by the given processes (name to pid); PostgreSQL counts its backends. */
    public static Sample sample(Map<String, Long> processes, long postmaster) {
        long now = System.nanoTime();
        double[] machine = read(Path.of("/proc/stat")).map(Machine::machine).orElse(new double[2]);
        Map<String, Double> cpu = new LinkedHashMap<>();
        processes.forEach((name, pid) -> stat(pid).ifPresent(t -> cpu.put(name, (t[0] + t[1]) / TICKS)));
        if (postmaster > 0) {
            stat(postmaster).ifPresent(t -> {
                // The postmaster's own time, its backends that ended (waited for), and those alive.
                double ticks = t[0] + t[1] + t[2] + t[3];
                ticks += ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::children)
                        .mapToDouble(child -> stat(child.pid()).map(c -> c[0] + c[1]).orElse(0.0)).sum();
                cpu.put("PostgreSQL", ticks / TICKS);
            });
        }
        return new Sample(now, machine[0], machine[1], cpu);
    }

    /** Busy and total seconds from the first line of {@code /proc/stat}. */
    private static double[] machine(String stat) {
        String[] f = stat.lines().findFirst().orElse("cpu").trim().split("\\s+");
        double total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Double.parseDouble(f[i]);
        }
        double idle = f.length > 5 ? Double.parseDouble(f[4]) + Double.parseDouble(f[5]) : total;
        return new double[] {(total - idle) / TICKS, total / TICKS};
    }

    /** utime, stime, cutime and cstime of a process, in clock ticks. */
    private static Optional<double[]> stat(long pid) {
        return read(Path.of("/proc", String.valueOf(pid), "stat")).map(s -> {
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return new double[] {Double.parseDouble(f[11]), Double.parseDouble(f[12]), Double.parseDouble(f[13]),
                    Double.parseDouble(f[14])};
        });
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

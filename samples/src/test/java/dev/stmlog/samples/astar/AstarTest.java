package dev.stmlog.samples.astar;

import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Shared;
import dev.stmlog.samples.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AstarTest {

    /** Breadth-first search: the distance from start to goal on {@code walls}, or -1 (start may be a wall). */
    static int bfs(boolean[] walls, int size, int start, int goal) {
        int[] dist = new int[walls.length];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> q = new ArrayDeque<>();
        dist[start] = 0;
        q.add(start);
        if (start != goal && walls[goal]) return -1;
        while (!q.isEmpty()) {
            int c = q.poll();
            if (c == goal) return dist[c];
            int x = c % size, y = c / size;
            int[] next = {x > 0 ? c - 1 : -1, x < size - 1 ? c + 1 : -1, y > 0 ? c - size : -1, y < size - 1 ? c + size : -1};
            for (int nb : next) {
                if (nb >= 0 && dist[nb] < 0 && !walls[nb]) {
                    dist[nb] = dist[c] + 1;
                    q.add(nb);
                }
            }
        }
        return -1;
    }

    /** Null if {@code path} is a valid shortest path on {@code walls}, else what is wrong. */
    static String problem(boolean[] walls, int size, int start, int goal, int[] path) {
        int shortest = bfs(walls, size, start, goal);
        if (path == null) return shortest < 0 ? null : "no path found, but BFS found one of length " + shortest;
        if (shortest < 0) return "a path was found where BFS found none";
        if (path[0] != start || path[path.length - 1] != goal) return "path does not go from start to goal";
        for (int i = 1; i < path.length; i++) {
            int a = path[i - 1], b = path[i];
            boolean adjacent = (Math.abs(a - b) == 1 && a / size == b / size) || Math.abs(a - b) == size;
            if (!adjacent) return "step " + i + " is not to a 4-neighbour";
            if (walls[b]) return "step " + i + " goes through a wall";
        }
        if (path.length - 1 != shortest) return "path length " + (path.length - 1) + " but the shortest is " + shortest;
        return null;
    }

    static boolean[] snapshot(Shared.Cells<Boolean> map) {
        boolean[] w = new boolean[map.length()];
        for (int i = 0; i < w.length; i++) w[i] = map.read().at(i);
        return w;
    }

    @Test
    void astarFindsShortestPathsOnRandomGrids() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            int size = 2 + r.nextInt(40);
            double density = r.nextDouble() * 0.45;
            Shared.Cells<Boolean> map = Shared.cells(Mode.SERIAL, size * size, false, "map");
            for (int i = 0; i < size * size; i++) map.write().put(i, r.nextDouble() < density);
            Astar astar = new Astar(size, size);
            boolean[] walls = snapshot(map);
            for (int q = 0; q < 10; q++) {
                int start = r.nextInt(size * size), goal = r.nextInt(size * size);
                int[] path = astar.findPath(null, map, start, goal); // serial mode: no transaction
                assertNull(problem(walls, size, start, goal, path), "size " + size + " start " + start + " goal " + goal);
            }
        }
    }

    @Test
    void pathsPlannedDuringTheGameAreValidAndShortest() throws Exception {
        // The sample itself, in stm mode on 2 threads with walls changing all the time; every
        // plan is checked inside its own transaction, i.e. against the very snapshot it was
        // planned on (opacity: even an attempt that later aborts sees a consistent snapshot).
        int size = 40;
        AstarSample.Game game = new AstarSample.Game(Mode.STM, size, 16, 0.2, 2, 5);
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicLong checked = new AtomicLong();
        game.setCheck((map, start, goal, path) -> {
            String p = problem(snapshot(map), size, start, goal, path);
            if (p != null && problems.size() < 10) problems.add(p);
            checked.incrementAndGet();
        });
        Workers.Run run = Workers.run(2, 0, 1.0, 9, game::turn);
        assertTrue(run.ops() > 0);
        assertTrue(checked.get() > 0);
        assertEquals(List.of(), problems);
        double d = game.wallDensity();
        assertTrue(d > 0.05 && d < 0.5, "wall density " + d);
    }

    /**
     * Every player stands on the cell of its last committed step (kept by its own thread in
     * {@code lastSeen}), or where it started: no position is lost or written by anyone else.
     * A fixed number of turns per thread, not a time, so that the outcome does not depend on
     * the machine's speed.
     */
    @Test
    void playersOnlyStandWhereTheyStepped() throws Exception {
        int size = 32, players = 8, turns = 3_000;
        for (Mode mode : Mode.values()) {
            int threads = mode == Mode.SERIAL ? 1 : 2;
            AstarSample.Game game = new AstarSample.Game(mode, size, players, 0.2, threads, 1);
            int[] starts = game.lastSeen.clone();
            runTurns(game, threads, turns, 2);
            int moved = 0;
            for (int p = 0; p < players; p++) {
                Integer pos = game.positions.read().at(p);
                assertNotNull(pos);
                if (pos < 0 || pos >= size * size) fail("player off the map: " + pos);
                assertEquals(game.lastSeen[p], pos, mode + ": player " + p + " stands where it last stepped");
                if (pos != starts[p]) moved++;
            }
            if (mode == Mode.SERIAL) {
                // One thread, seeded: the same game every run, in which players do move.
                assertTrue(moved > 0, "no player moved");
            }
        }
    }

    /** {@code turns} turns on each of {@code threads} threads (joined with a timeout). */
    private static void runTurns(AstarSample.Game game, int threads, int turns, long seed) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SplittableRandom root = new SplittableRandom(seed);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            SplittableRandom random = root.split();
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < turns; i++) game.turn(id, random);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "astar-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(60_000);
            assertFalse(t.isAlive(), t.getName() + " finished its turns");
        }
        assertNull(failure.get());
    }
}

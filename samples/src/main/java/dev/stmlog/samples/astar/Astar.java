package dev.stmlog.samples.astar;

import dev.stmlog.runtime.Txn;
import dev.stmlog.samples.Shared;

/**
 * A* on a 4-connected grid with the Manhattan heuristic (consistent, so the first time the goal
 * is taken off the open list its path is a shortest one).
 *
 * <p>One instance per thread: the scratch arrays are reused across searches (a generation
 * stamp marks what belongs to the current search), so a search allocates only its result. A
 * search that runs inside a transaction may be re-run; it starts from a fresh generation, so a
 * re-run is exactly like a first run.
 *
 * <p>Each cell is read from the shared map <em>at most once per search</em> and remembered
 * locally. The answer is the same, but in stm mode the transaction's read set, and so the
 * window for conflicts with wall changes, only holds the cells the search actually needed.
 * Those reads are the search's only transactional work, so it is handed the transaction
 * ({@code tx}, null outside stm mode) and reads through it: a read then costs a version check
 * and a read-set entry, without looking the transaction up.
 */
public final class Astar {

    private static final int BITS = 21; // cells < 2^21, path lengths < 2^21
    private static final long MASK = (1L << BITS) - 1;

    private final int width, height;
    private final int[] g, gStamp, closed, cameFrom, wallStamp;
    private final boolean[] wall;
    private long[] heap = new long[256];
    private int heapSize;
    private int gen;

    public Astar(int width, int height) {
        if ((long) width * height >= (1L << BITS)) throw new IllegalArgumentException("grid too large");
        this.width = width;
        this.height = height;
        int n = width * height;
        g = new int[n];
        gStamp = new int[n];
        closed = new int[n];
        cameFrom = new int[n];
        wallStamp = new int[n];
        wall = new boolean[n];
    }

    /**
     * A shortest path from {@code start} to {@code goal} (cell indices, both included), avoiding
     * walls; the start cell itself may be a wall (a wall was built where a player stands). Null
     * when the goal is a wall or cannot be reached. {@code tx}: the transaction the map is read
     * in (stm mode), or null.
     */
    public int[] findPath(Txn tx, Shared.Cells<Boolean> map, int start, int goal) {
        if (++gen == 0) { // stamps wrapped around: forget everything
            java.util.Arrays.fill(gStamp, 0);
            java.util.Arrays.fill(closed, 0);
            java.util.Arrays.fill(wallStamp, 0);
            gen = 1;
        }
        if (start != goal && isWall(tx, map, goal)) return null;
        heapSize = 0;
        g[start] = 0;
        gStamp[start] = gen;
        cameFrom[start] = -1;
        push(key(heuristic(start, goal), 0, start));
        int gx = goal % width, gy = goal / width;
        while (heapSize > 0) {
            int node = (int) (pop() & MASK);
            if (closed[node] == gen) continue; // a stale entry: the node was reached cheaper
            closed[node] = gen;
            if (node == goal) return path(start, goal);
            int x = node % width, y = node / width, next = g[node] + 1;
            if (x > 0) relax(tx, map, node, node - 1, next, gx, gy);
            if (x < width - 1) relax(tx, map, node, node + 1, next, gx, gy);
            if (y > 0) relax(tx, map, node, node - width, next, gx, gy);
            if (y < height - 1) relax(tx, map, node, node + width, next, gx, gy);
        }
        return null;
    }

    private void relax(Txn tx, Shared.Cells<Boolean> map, int from, int to, int cost, int gx, int gy) {
        if (closed[to] == gen || (gStamp[to] == gen && g[to] <= cost) || isWall(tx, map, to)) return;
        g[to] = cost;
        gStamp[to] = gen;
        cameFrom[to] = from;
        int h = Math.abs(to % width - gx) + Math.abs(to / width - gy);
        push(key(cost + h, cost, to));
    }

    /** Reads a cell of the shared map once per search. */
    private boolean isWall(Txn tx, Shared.Cells<Boolean> map, int cell) {
        if (wallStamp[cell] != gen) {
            wall[cell] = map.readIn().at(tx, cell);
            wallStamp[cell] = gen;
        }
        return wall[cell];
    }

    private int heuristic(int a, int b) {
        return Math.abs(a % width - b % width) + Math.abs(a / width - b / width);
    }

    /** Ordered by f, then by larger g (deeper first: fewer expansions among equal f), then cell. */
    private static long key(int f, int gValue, int cell) {
        return ((long) f << (2 * BITS)) | ((MASK - gValue) << BITS) | cell;
    }

    private int[] path(int start, int goal) {
        int len = g[goal] + 1;
        int[] p = new int[len];
        for (int c = goal, i = len - 1; i >= 0; c = cameFrom[c], i--) p[i] = c;
        return p;
    }

    // A binary min-heap of longs.
    private void push(long k) {
        if (heapSize == heap.length) heap = java.util.Arrays.copyOf(heap, heapSize * 2);
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= k) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = k;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapSize];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= heapSize) break;
            if (c + 1 < heapSize && heap[c + 1] < heap[c]) c++;
            if (heap[c] >= last) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = last;
        return top;
    }
}

package dev.stmlog.samples.astar;

import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Options;
import dev.stmlog.samples.Result;
import dev.stmlog.samples.Sample;
import dev.stmlog.samples.Shared;
import dev.stmlog.samples.Workers;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * <b>astar</b>: the game of the PyPy-STM experiment. Players walk on a grid map whose cells are
 * transactional (a {@code TArray} labelled {@code map}); each turn a player re-plans a shortest
 * path to its goal with A* and takes one step, or builds or knocks down a wall next to it.
 *
 * <p>What it teaches: there is no lock around map changes, and none is needed. Planning and
 * stepping are one transaction, so a player never steps along a path planned on a map that
 * changed meanwhile: if a wall appears on a cell the search had read, the planner's transaction
 * aborts and re-plans. Because conflicts are per cell ({@code map[i]} in the log), players in
 * different parts of the map do not disturb each other; the aborts {@code stmlog top} reports
 * are plans invalidated by walls built or removed inside the area they explored.
 */
public final class AstarSample implements Sample {

    @Override
    public String name() {
        return "astar";
    }

    @Override
    public String summary() {
        return "players path-finding (A*) on a transactional grid while walls are built and destroyed";
    }

    @Override
    public List<Opt> options() {
        return List.of(
                new Opt("size", "N", "the map is N x N cells (default 128)"),
                new Opt("players", "N", "number of players (default 64)"),
                new Opt("walls", "P", "initial wall density (default 0.2)"));
    }

    /** Checks a plan (test hook), called inside the planning transaction. */
    @FunctionalInterface
    public interface PlanCheck {
        void planned(Shared.Cells<Boolean> map, int start, int goal, int[] path);
    }

    /** The game state and its moves. A player is only ever moved by the thread that owns it. */
    public static final class Game {
        public static final int BUILD_PERCENT = 2, DESTROY_PERCENT = 8; // walls settle near 20%

        final Mode mode;
        final Mode.Tx tx; // Stm::atomic, or no-op, or the global lock
        final Mode.TxCall txCall; // Stm::call (the body is given the transaction), or as tx
        final int size;
        /** true = wall. Transactional in stm mode: each cell is its own Ref, so conflicts are per cell. */
        final Shared.Cells<Boolean> map;
        /** Player positions (cell indices), labelled so the log can name them. */
        final Shared.Cells<Integer> positions;
        final int[] goals;     // owned by the player's thread
        final int[] lastSeen;  // position last committed, owned by the player's thread
        final int[] cursor;    // next player of each thread
        final int threads;
        final Astar[] planners;  // one per thread: scratch space is not shared
        volatile PlanCheck check;

        public Game(Mode mode, int size, int players, double walls, int threads, long seed) {
            this.mode = mode;
            this.tx = mode.tx();
            this.txCall = mode.txCall();
            this.size = size;
            this.threads = threads;
            SplittableRandom r = new SplittableRandom(seed);
            Boolean[] initial = new Boolean[size * size];
            for (int i = 0; i < initial.length; i++) initial[i] = r.nextDouble() < walls;
            this.map = Shared.cells(mode, initial.length, Boolean.FALSE, "map");
            for (int i = 0; i < initial.length; i++) if (initial[i]) map.write().put(i, Boolean.TRUE); // before any thread starts
            this.positions = Shared.cells(mode, players, 0, "player");
            this.goals = new int[players];
            this.lastSeen = new int[players];
            for (int p = 0; p < players; p++) {
                int start = randomCell(r);
                positions.write().put(p, start);
                lastSeen[p] = start;
                goals[p] = randomCell(r);
            }
            this.cursor = new int[threads];
            this.planners = new Astar[threads];
            for (int t = 0; t < threads; t++) planners[t] = new Astar(size, size);
        }

        int randomCell(SplittableRandom r) {
            return r.nextInt(size * size);
        }

        /** One turn of one of thread {@code t}'s players (players t, t + threads, ...). */
        public void turn(int t, SplittableRandom r) {
            int players = goals.length;
            int p = t + threads * cursor[t];
            if (p >= players) {
                cursor[t] = 0;
                p = t;
            }
            cursor[t]++;
            if (p >= players) return; // more threads than players: this one idles
            int dice = r.nextInt(100);
            if (dice < BUILD_PERCENT) {
                toggleWallNear(p, r, true);
            } else if (dice < BUILD_PERCENT + DESTROY_PERCENT) {
                toggleWallNear(p, r, false);
            } else {
                step(t, p, r);
            }
        }

        /**
         * Plans a shortest path to the player's goal and takes its first step: one transaction,
         * whose search reads the map through its {@code Txn} (see {@link Astar}).
         */
        void step(int t, int p, SplittableRandom r) {
            Astar astar = planners[t];
            int goal = goals[p];
            int[] path = txCall.call(txn -> {
                int from = positions.read().at(p);
                int[] plan = astar.findPath(txn, map, from, goal);
                PlanCheck c = check;
                if (c != null) c.planned(map, from, goal, plan);
                if (plan != null && plan.length > 1) positions.write().put(p, plan[1]);
                return plan;
            });
            if (path == null || path.length <= 2) {
                goals[p] = randomCell(r); // arrived, or no way there: pick a new goal
            }
            if (path != null && path.length > 1) lastSeen[p] = path[1];
        }

        /** Builds (or destroys) a wall on a random cell within 3 steps of the player. */
        void toggleWallNear(int p, SplittableRandom r, boolean build) {
            int at = lastSeen[p];
            int x = Math.floorMod(at % size + r.nextInt(7) - 3, size);
            int y = Math.floorMod(at / size + r.nextInt(7) - 3, size);
            int cell = y * size + x;
            Boolean target = build;
            tx.atomic(() -> {
                if (target.equals(map.read().at(cell))) return false;
                map.write().put(cell, target);
                return true;
            });
        }

        public double wallDensity() {
            return tx.atomic(() -> {
                int walls = 0;
                for (int i = 0; i < map.length(); i++) if (map.read().at(i)) walls++;
                return walls / (double) map.length();
            });
        }

        public void setCheck(PlanCheck check) {
            this.check = check;
        }
    }

    @Override
    public Result run(Options o, PrintStream out) throws Exception {
        int size = o.intValue("size", 128, 4, 1024);
        int players = o.intValue("players", 64, 1, 100_000);
        double walls = o.doubleValue("walls", 0.2, 0, 0.9);
        Game game = new Game(o.mode(), size, players, walls, o.threads(), o.seed());
        Workers.Run run = Workers.run(o.threads(), o.warmup(), o.duration(), o.seed() + 1, game::turn);
        out.printf(Locale.ROOT, "astar: %dx%d map, %d players, wall density now %.3f%n", size, size, players, game.wallDensity());
        return new Result(name(), o.mode(), o.threads(), run.ops(), run.seconds());
    }
}

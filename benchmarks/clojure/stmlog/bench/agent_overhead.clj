(ns stmlog.bench.agent-overhead
  "A conflict-free Clojure refs workload for benchmarks/agent-overhead.sh: each thread runs
  dosync blocks on refs of its own (an alter of a counter, a read of another, a commute), so
  that no transaction ever retries. Prints the median wall-clock and process CPU ns per
  transaction of the measured rounds.")

(defn- worker [n]
  (let [counter (ref 0) total (ref 0) seen (ref 0)]
    (dotimes [i n]
      (dosync
        (alter counter inc)
        (commute total + i)
        (ref-set seen (+ @counter @total))))
    @seen))

(def ^:private os
  (java.lang.management.ManagementFactory/getOperatingSystemMXBean))

(defn- cpu-nanos
  "The process's CPU time: the agent's own threads (its clock, the log's flusher) included."
  []
  (.getProcessCpuTime ^com.sun.management.OperatingSystemMXBean os))

(defn- round
  "[wall ns, process CPU ns] per transaction of one round: threads workers, n transactions each."
  [threads n]
  (let [start (System/nanoTime)
        cpu (cpu-nanos)
        fs (doall (for [_ (range threads)] (future (worker n))))]
    (doseq [f fs] @f)
    (let [tx (double (* threads n))]
      [(/ (- (System/nanoTime) start) tx) (/ (- (cpu-nanos) cpu) tx)])))

(defn- median [xs]
  (nth (sort xs) (quot (count xs) 2)))

(defn -main [threads n warmups rounds]
  (let [threads (Long/parseLong threads) n (Long/parseLong n)
        warmups (Long/parseLong warmups) rounds (Long/parseLong rounds)]
    (dotimes [_ warmups] (round threads n))
    (let [rs (doall (for [_ (range rounds)] (round threads n)))]
      (println (format "ns-per-tx %.1f" (median (map first rs))))
      ;; The process CPU clock ticks in 10 ms steps here (getProcessCpuTime: 10 ns per
      ;; transaction of a 10^6-transaction round, 2.5% of one), so it is taken over all the
      ;; measured rounds, not as a median of rounds.
      (println (format "cpu-ns-per-tx %.1f" (/ (reduce + (map second rs)) (double rounds))))))
  (shutdown-agents))

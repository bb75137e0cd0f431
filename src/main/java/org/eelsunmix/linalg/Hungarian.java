package org.eelsunmix.linalg;

import java.util.Arrays;

/**
 * Minimum-cost assignment (the linear assignment problem) on a rectangular cost matrix, solved exactly by the
 * Hungarian method in its shortest-augmenting-path form (Kuhn 1955; Munkres 1957; Jonker &amp; Volgenant 1987,
 * Computing 38:325–340): rows are added one at a time, each by a Dijkstra search over reduced costs
 * {@code cost[i][j] − u[i] − v[j] ≥ 0}, and the dual potentials {@code u, v} are updated so that reduced costs
 * stay non-negative and vanish on the matched pairs. For an {@code n × m} matrix with {@code n ≤ m} this costs
 * {@code O(n² m)}.
 *
 * <p>Used to match estimated endmembers to true ones by spectral angle, where the matrices are tiny; the method is
 * exact (it returns an optimal assignment, not a greedy one), also when costs tie.
 */
public final class Hungarian {

  private Hungarian() {
  }

  /**
   * An assignment of rows to distinct columns that minimises the summed cost.
   *
   * <p>With {@code rows ≤ cols} every row gets a column; with {@code rows > cols} exactly {@code cols} rows get one
   * (the set of rows that minimises the total) and the others get {@code −1}.
   *
   * @param cost {@code rows × cols} finite costs (not modified); rows must all have the same length
   * @return for each row, the index of its column, or {@code −1} when the row is left unassigned
   * @throws IllegalArgumentException on ragged rows or a non-finite cost
   */
  public static int[] assign(double[][] cost) {
    int rows = cost.length;
    if (rows == 0) {
      return new int[0];
    }
    int cols = cost[0].length;
    for (int i = 0; i < rows; i++) {
      if (cost[i].length != cols) {
        throw new IllegalArgumentException(
            "cost matrix row " + i + " has " + cost[i].length + " entries but row 0 has " + cols);
      }
      for (int j = 0; j < cols; j++) {
        if (!Double.isFinite(cost[i][j])) {
          throw new IllegalArgumentException("cost matrix entry (" + i + ", " + j + ") is " + cost[i][j]);
        }
      }
    }
    if (rows <= cols) {
      return assignRowsToColumns(cost, rows, cols, false);
    }
    // More rows than columns: assign each column a row on the transposed problem, then invert the result.
    int[] rowOfColumn = assignRowsToColumns(cost, cols, rows, true);
    int[] columnOfRow = new int[rows];
    Arrays.fill(columnOfRow, -1);
    for (int j = 0; j < cols; j++) {
      columnOfRow[rowOfColumn[j]] = j;
    }
    return columnOfRow;
  }

  /** Total cost of an assignment returned by {@link #assign}, skipping unassigned rows. */
  public static double totalCost(double[][] cost, int[] columnOfRow) {
    double total = 0;
    for (int i = 0; i < columnOfRow.length; i++) {
      if (columnOfRow[i] >= 0) {
        total += cost[i][columnOfRow[i]];
      }
    }
    return total;
  }

  /**
   * Shortest augmenting paths for {@code n ≤ m}: agents are the {@code n} "rows", tasks the {@code m} "columns";
   * {@code transposed} reads {@code cost[task][agent]} instead of {@code cost[agent][task]}.
   */
  private static int[] assignRowsToColumns(double[][] cost, int n, int m, boolean transposed) {
    double[] rowPotential = new double[n];
    double[] columnPotential = new double[m];
    // Start from row minima, all column potentials 0: every reduced cost is >= 0, and unmatched columns keep
    // equal potentials (only settled columns change, and a settled unmatched column ends the search with slack 0),
    // which is what makes the answer optimal also when there are more columns than rows.
    for (int i = 0; i < n; i++) {
      double min = Double.POSITIVE_INFINITY;
      for (int j = 0; j < m; j++) {
        min = Math.min(min, at(cost, i, j, transposed));
      }
      rowPotential[i] = min;
    }
    int[] rowOfColumn = new int[m];
    int[] columnOfRow = new int[n];
    Arrays.fill(rowOfColumn, -1);
    Arrays.fill(columnOfRow, -1);

    double[] distance = new double[m];
    int[] predecessorRow = new int[m];
    boolean[] settled = new boolean[m];
    int[] settledOrder = new int[m];

    for (int start = 0; start < n; start++) {
      Arrays.fill(distance, Double.POSITIVE_INFINITY);
      Arrays.fill(settled, false);
      int settledCount = 0;
      int row = start;
      double rowDistance = 0;
      int freeColumn = -1;
      // Dijkstra over columns; a matched column leads on to its row at no extra (reduced) cost.
      while (freeColumn < 0) {
        double rowShift = rowDistance - rowPotential[row];
        int nearest = -1;
        double nearestDistance = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
          if (settled[j]) {
            continue;
          }
          double d = rowShift + at(cost, row, j, transposed) - columnPotential[j];
          if (d < distance[j]) {
            distance[j] = d;
            predecessorRow[j] = row;
          }
          if (distance[j] < nearestDistance) {
            nearestDistance = distance[j];
            nearest = j;
          }
        }
        settled[nearest] = true;
        settledOrder[settledCount++] = nearest;
        if (rowOfColumn[nearest] < 0) {
          freeColumn = nearest;
        } else {
          row = rowOfColumn[nearest];
          rowDistance = nearestDistance;
        }
      }
      // Dual update: keeps reduced costs ≥ 0 and zero on matched pairs and on the new path.
      double pathLength = distance[freeColumn];
      rowPotential[start] += pathLength;
      for (int s = 0; s < settledCount; s++) {
        int j = settledOrder[s];
        double slack = pathLength - distance[j];
        columnPotential[j] -= slack;
        if (rowOfColumn[j] >= 0) {
          rowPotential[rowOfColumn[j]] += slack;
        }
      }
      // Augment: flip the matched/unmatched edges along the path back to the start row.
      int column = freeColumn;
      while (column >= 0) {
        int r = predecessorRow[column];
        int previousColumn = columnOfRow[r];
        rowOfColumn[column] = r;
        columnOfRow[r] = column;
        column = previousColumn;
      }
    }
    return columnOfRow;
  }

  private static double at(double[][] cost, int agent, int task, boolean transposed) {
    return transposed ? cost[task][agent] : cost[agent][task];
  }
}

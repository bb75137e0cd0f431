package org.eelsunmix.report;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.maps.LineProfile;
import org.eelsunmix.maps.MapMatching;

/**
 * Several methods' unmixing of one acquisition set beside the elements' background-subtraction (BS) maps, as the
 * seed study compared them on its real multilayer (its Figs 7–10): each method's components matched to the
 * elements ({@link MapMatching}), and a line profile of every element from every method and from BS over one
 * region ({@link LineProfile}: {@code lineWidth} adjacent rows or columns summed into each point, as the seed's
 * 3-row profiles).
 *
 * @param acquisition the acquisition id
 * @param elements element (edge) names, e.g. {@code Co-L}
 * @param bsMaps one BS map per element, row-major {@code height × width}, counts
 * @param methods each method's result
 * @param along direction of the profiles
 * @param region pixels the profiles cover
 * @param lineWidth rows or columns summed per profile point
 * @param pixelSize size of a pixel (NaN when unknown)
 * @param pixelUnits its units
 */
public record Comparison(String acquisition, int height, int width, List<String> elements, List<double[]> bsMaps,
    List<MethodResult> methods, LineProfile.Axis along, LineProfile.Region region, int lineWidth, double pixelSize,
    String pixelUnits) {

  /**
   * One method's unmixing of the acquisition.
   *
   * @param method the method's name
   * @param endmembers its endmembers (R spectra on the acquisition's energy axis)
   * @param abundances its abundance maps
   * @param matching which component is which element
   * @param seconds the fit's wall time
   */
  public record MethodResult(String method, Endmembers endmembers, Abundances abundances, MapMatching matching,
      double seconds) {
    /** Component {@code k}'s label: its element when matched, else {@code component k}. */
    public String label(int component, List<String> elements) {
      int e = matching.elementOf(component);
      return e >= 0 ? elements.get(e) : "component " + component;
    }
  }

  /** One profile: the element, where it comes from ({@code BS} or a method), its points. */
  public record Profile(String element, String source, List<LineProfile.Line> lines) {}

  /**
   * Every element's profiles: BS first, then each method's matched component (a method with no component for the
   * element has no profile of it).
   */
  public List<Profile> profiles() {
    List<Profile> out = new ArrayList<>();
    for (int e = 0; e < elements.size(); e++) {
      out.add(new Profile(elements.get(e), "BS", LineProfile.of(bsMaps.get(e), width, height, along, region,
          lineWidth)));
      for (MethodResult m : methods) {
        int k = m.matching().componentOf(e);
        if (k >= 0) {
          out.add(new Profile(elements.get(e), m.method(), LineProfile.of(m.abundances().map(k), width, height,
              along, region, lineWidth)));
        }
      }
    }
    return out;
  }
}

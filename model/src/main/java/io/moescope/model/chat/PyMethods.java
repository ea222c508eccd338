package io.moescope.model.chat;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's str methods (and dict's get/items/keys/values) for Jinjava, which otherwise calls Java methods by name:
 * chat templates are written for Python's Jinja2 and call {@code content.strip('\n')},
 * {@code content.startswith(...)}, {@code content.split('</think>')[-1]} and so on. Resolves nothing else.
 */
final class PyMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (!(method instanceof String)) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String) {
            result = PyStrings.call((String) base, (String) method, p);
        } else if (base instanceof Map) {
            result = dict((Map<?, ?>) base, (String) method, p);
        } else {
            return null;
        }
        if (result == PyStrings.NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static Object dict(Map<?, ?> map, String method, Object[] p) {
        switch (method) {
            case "get":
                if (p.length == 1 || p.length == 2) {
                    Object v = map.get(p[0]);
                    return v != null || map.containsKey(p[0]) ? v : (p.length == 2 ? p[1] : null);
                }
                return PyStrings.NOT_HANDLED;
            case "items":
                List<Object> items = new ArrayList<>();
                map.forEach((k, v) -> items.add(List.of(k, v == null ? "" : v)));
                return items;
            case "keys":
                return new ArrayList<>(map.keySet());
            case "values":
                return new ArrayList<>(map.values());
            default:
                return PyStrings.NOT_HANDLED;
        }
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not ours
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}

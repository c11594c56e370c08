/**
 * Subscriber of both conformance platform events: one Conf_Item__c per event received, titled with the event's
 * Title__c, noting whether it carried an EventUuid and a ReplayId.
 */
trigger ConfEventTrigger on Conf_Event__e(after insert) {
    List<Conf_Item__c> items = new List<Conf_Item__c>();
    for (Conf_Event__e e : Trigger.new) {
        items.add(
            new Conf_Item__c(Title__c = 'event ' + e.Title__c, Note__c = (e.EventUuid != null) + ' ' + (e.ReplayId != null))
        );
    }
    insert items;
}
